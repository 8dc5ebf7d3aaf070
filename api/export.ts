/**
 * CSV export of a comparison:
 *
 *   /export/comparison.csv?field=applicationComparison&filter={region:"410300",year:2023}&groupBy=[REGION]
 *
 * `field` names the comparison field; every other parameter is one of its arguments, written as
 * in a GraphQL query (JSON works too). Arguments are checked by the schema's own input coercion
 * and by the same code as the GraphQL field, so the CSV holds exactly the groups the field
 * returns (without its `limit`: every group, up to maxComparisonRows). The file is UTF-8 with a
 * BOM, so Excel shows the Chinese labels.
 */
import { coerceInputValue, parseValue, valueFromASTUntyped, type GraphQLArgument, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { etagFor, etagMatches } from './caching.ts';
import { csvCell } from './csv.ts';
import { createContext, requestState, type ServerState } from './context.ts';
import { APPLICATION_DIMENSIONS, MEASURES, isOutcomeMeasure, type ComparisonRow, type Dimension } from './data/comparisons.ts';
import { ApiError, errorResponse } from './errors.ts';
import { applicantLabel, outcomeGroupLabel, rowLabel } from './schema/codes.ts';
import { COMPARISON_FIELDS, resolveComparison } from './schema/comparisons.ts';

const BOM = '\ufeff';

/** One argument from its URL text: GraphQL literal syntax, else JSON, else the bare text (an enum name). */
function argumentValue(def: GraphQLArgument, text: string): unknown {
  let raw: unknown;
  try {
    raw = valueFromASTUntyped(parseValue(text));
  } catch {
    try {
      raw = JSON.parse(text);
    } catch {
      raw = text;
    }
  }
  let problem: string | null = null;
  const value = coerceInputValue(raw, def.type, (path, _invalid, err) => {
    problem ??= `${[def.name, ...path].join('.')}: ${err.message}`;
  });
  if (problem) throw new ApiError('BAD_USER_INPUT', `Argument ${problem}`, { argument: def.name });
  return value;
}

export function exportArguments(schema: GraphQLSchema, params: URLSearchParams): { field: string; args: Record<string, unknown>; defs: readonly GraphQLArgument[] } {
  const field = params.get('field') ?? '';
  if (!(field in COMPARISON_FIELDS)) {
    throw new ApiError('BAD_USER_INPUT', `"field" must be one of ${Object.keys(COMPARISON_FIELDS).join(', ')}, got "${field}"`, { argument: 'field' });
  }
  const defs = schema.getQueryType()!.getFields()[field].args;
  for (const name of params.keys()) {
    if (name !== 'field' && !defs.some((d) => d.name === name)) {
      throw new ApiError('BAD_USER_INPUT', `${field} has no argument "${name}" (it has ${defs.map((d) => d.name).join(', ')})`, { argument: name });
    }
  }
  const args: Record<string, unknown> = {};
  for (const def of defs) {
    const text = params.get(def.name);
    if (text != null) args[def.name] = argumentValue(def, text);
    else if (def.defaultValue !== undefined) args[def.name] = def.defaultValue;
  }
  return { field, args, defs };
}

const LABELLED: Partial<Record<Dimension, (code: string) => string>> = {
  applicant_type: (c) => applicantLabel(c).zh,
  outcome_group: (c) => outcomeGroupLabel(c).zh,
  outcome: (c) => rowLabel('applications', c, null).zh,
};

/** Columns come in this order whatever the order of groupBy. */
const COLUMN_ORDER: readonly Dimension[] = APPLICATION_DIMENSIONS;

export function comparisonCsv(rows: ComparisonRow[], subject: keyof typeof MEASURES, groupBy: readonly Dimension[], ranked: boolean, regionName: (code: string) => string | null): string {
  const dims = [...groupBy].sort((a, b) => COLUMN_ORDER.indexOf(a) - COLUMN_ORDER.indexOf(b));
  const byOutcome = groupBy.includes('outcome') || groupBy.includes('outcome_group');
  // Deprecated names are left out: the same numbers are there under the names to use.
  const measures = MEASURES[subject].filter((m) => !m.deprecated && (byOutcome || !isOutcomeMeasure(m.name)));
  const header: string[] = [];
  const cells: ((r: ComparisonRow) => unknown)[] = [];
  for (const d of dims) {
    if (d === 'region') {
      header.push('region_code', 'region_name');
      cells.push((r) => r.region, (r) => (r.region ? regionName(String(r.region)) : null));
    } else if (d === 'agency') {
      // The agency's own row, joined in by the comparison (ag_<column>).
      header.push('agency_id', 'agency_name', 'agency_region_code', 'agency_region_name');
      cells.push(
        (r) => r.agency,
        (r) => r.ag_name,
        (r) => r.ag_region_code,
        (r) => (r.ag_region_code ? regionName(String(r.ag_region_code)) : null),
      );
    } else {
      header.push(d);
      cells.push((r) => r[d]);
      const label = LABELLED[d];
      if (label) {
        header.push(`${d}_zh`);
        cells.push((r) => (r[d] ? label(String(r[d])) : null));
      }
    }
  }
  if (ranked) {
    header.push('rank');
    cells.push((r) => r.rank);
  }
  for (const m of measures) {
    header.push(m.name);
    cells.push((r) => r[m.name]);
  }
  const lines = [header.join(','), ...rows.map((r) => cells.map((c) => csvCell(c(r))).join(','))];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

export function exportPlugin(server: ServerState, schema: GraphQLSchema): Plugin {
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== '/export/comparison.csv') return;
      const fail = (err: ApiError) => endResponse(errorResponse(err));
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const state = requestState(serverContext, server);
      const etag = etagFor(state.release.version, url.search);
      if (etagMatches(request.headers.get('if-none-match'), etag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers: { etag } }));
        return;
      }
      const ctx = createContext(state);
      try {
        const { field, args, defs } = exportArguments(schema, url.searchParams);
        // The export returns every group: the field's `limit` applies to GraphQL pages only.
        const comparison = await resolveComparison(field, { ...args, limit: state.limits.maxComparisonRows }, defs, ctx);
        const q = comparison.query;
        const csv = comparisonCsv(comparison.rows, q.subject, q.groupBy, !!q.rank, (code) => state.regions.get(code)?.name ?? null);
        const body = new TextEncoder().encode(csv);
        endResponse(
          new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-length': String(body.byteLength),
              'content-disposition': `attachment; filename="${field}-${state.release.version}.csv"`,
              'cache-control': `public, max-age=${state.limits.cacheMaxAgeSeconds}`,
              'x-total-groups': String(await comparison.totalGroups()),
              etag,
            },
          }),
        );
      } catch (err) {
        if (err instanceof ApiError) fail(err);
        else {
          console.error(err);
          fail(new ApiError('INTERNAL_SERVER_ERROR', 'Unexpected error.'));
        }
      } finally {
        await ctx.session.close();
      }
    },
  };
}
