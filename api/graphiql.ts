/**
 * GraphiQL, served offline (@graphql-yoga/render-graphiql inlines the whole editor: no CDN),
 * opening with the example queries of docs/queries/ as tabs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { GENERATED_BOTH } from '../pipeline/release/generated.ts';

/** The API pinned to one release (server.ts answers it from that release): what pinned pages link to. */
export const pinnedEndpoint = (version: string) => `/v/${version}/graphql`;

export const EXAMPLES_DIR = fileURLToPath(new URL('../docs/queries/', import.meta.url));

export interface Example {
  file: string;
  query: string;
}

export function loadExamples(dir = EXAMPLES_DIR): Example[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((file) => ({ file, query: readFileSync(join(dir, file), 'utf8') }));
}

/**
 * The page's options. The title is the header GraphiQL shows above the editor (as HTML: the
 * version is a checked name, the label fixed text), so a generated release says so on screen.
 */
export function graphiqlOptions(version: string, generated: boolean, examples: Example[]) {
  return {
    title: `Gongkai 公开 — GraphQL API (release ${version})${generated ? ` · ${GENERATED_BOTH}` : ''}`,
    defaultQuery: examples[0]?.query ?? '{ release { version builtAt counts { reports } } }',
    defaultTabs: examples.map((e) => ({ query: e.query })),
  };
}
