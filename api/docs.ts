/**
 * /docs/api.md: the API's own documentation (limits, fields, errors), which refusals point at.
 * Read once at startup: the file ships with the code, not with a release.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

export const API_DOC_PATH = '/docs/api.md';
const API_DOC_FILE = fileURLToPath(new URL('../docs/api.md', import.meta.url));

export function docsPlugin(): Plugin {
  const body = readFileSync(API_DOC_FILE, 'utf8');
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== API_DOC_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response('GET only\n', { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const headers = { 'content-type': 'text/markdown; charset=utf-8', 'cache-control': 'public, max-age=300', 'content-length': String(Buffer.byteLength(body)) };
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers }));
    },
  };
}
