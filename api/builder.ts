/**
 * The one Pothos SchemaBuilder. Fields are non-null unless they say otherwise; connections carry
 * a lazily counted totalCount; the complexity plugin prices a connection by its page size and
 * refuses a query above the limit before any resolver runs.
 */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import { ApiError } from './errors.ts';
import type { ApiContext } from './context.ts';

export const builder = new SchemaBuilder<{
  Context: ApiContext;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Connection: { totalCount: () => Promise<number> };
}>({
  plugins: [RelayPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  relay: {
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    // A connection's own complexity already multiplies by its page size: edges must not add 10×.
    edgesFieldOptions: { nullable: false, complexity: { field: 0, multiplier: 1 } },
    nodeFieldOptions: { nullable: false },
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    limit: (ctx) => ({ complexity: ctx.state.limits.maxComplexity, depth: ctx.state.limits.maxDepth + 1, breadth: 10_000 }),
    complexityError: (kind, result) => {
      const what = String(kind).toLowerCase() as 'complexity' | 'depth' | 'breadth';
      const max = what === 'complexity' ? result.maxComplexity : what === 'depth' ? result.maxDepth : result.maxBreadth;
      return new ApiError(
        'QUERY_TOO_COMPLEX',
        what === 'complexity'
          ? `Query complexity ${result.complexity} exceeds the limit of ${max}: a connection costs its page size (first) times its selection, a comparison the groups it can return (in tens) times its selection. ` +
            'Ask for fewer fields or a smaller page and page on with after: pageInfo.endCursor; narrow a comparison with its filter, limit or rank.top; ' +
            'for the figures of many agencies or years ask one comparison — applicationComparison(filter: { agencies: [...], yearFrom, yearTo }, groupBy: [AGENCY, YEAR]) — rather than agencies → reports → cells.'
          : `Query ${what} ${result[what]} exceeds the limit of ${max}`,
        { limit: what, found: result[what], max },
      );
    },
  },
});

builder.queryType({ description: 'Open data from Chinese government information disclosure annual reports (政府信息公开工作年度报告), one release at a time.' });

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many items match, across all pages',
    complexity: 5,
    resolve: (parent) => parent.totalCount(),
  }),
);
