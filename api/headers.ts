/**
 * Hardening headers. Every answer carries `X-Content-Type-Options: nosniff` and a
 * `Referrer-Policy`; every HTML page and SVG carries a Content-Security-Policy that allows what
 * that page needs and nothing else. Charts and embed pages are made to be framed by any site
 * (`frame-ancestors *`); GraphiQL and the downloads page are not (`frame-ancestors 'none'`,
 * `X-Frame-Options: DENY`). GraphiQL is one self-contained page (inline scripts and styles,
 * Monaco's workers from blob: URLs) that talks only to this server.
 */
import type { Plugin } from 'graphql-yoga';

interface Policy {
  /** Which answers: by path and content type. */
  when: (path: string, type: string) => boolean;
  csp: string;
  framable: boolean;
}

const NO_FORMS = "base-uri 'none'; form-action 'none'";
const isHtml = (type: string) => type.startsWith('text/html');
const isSvg = (type: string) => type.startsWith('image/svg+xml');
const isChart = (path: string) => /^\/(?:v\/[^/]+\/)?(?:charts|embed)\//.test(path);

const POLICIES: Policy[] = [
  {
    when: (path, type) => isHtml(type) && path === '/graphql',
    csp: `default-src 'self'; script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; ${NO_FORMS}`,
    framable: false,
  },
  { when: (path, type) => isChart(path) && (isHtml(type) || isSvg(type)), csp: `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors *; ${NO_FORMS}`, framable: true },
  { when: (_path, type) => isHtml(type) || isSvg(type), csp: `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; ${NO_FORMS}`, framable: false },
];

export function securityHeadersPlugin(): Plugin {
  return {
    onResponse({ request, response }) {
      const headers = response.headers;
      headers.set('x-content-type-options', 'nosniff');
      headers.set('referrer-policy', 'no-referrer');
      const type = headers.get('content-type') ?? '';
      const path = new URL(request.url).pathname;
      const policy = POLICIES.find((p) => p.when(path, type));
      if (!policy) return;
      headers.set('content-security-policy', policy.csp);
      if (!policy.framable) headers.set('x-frame-options', 'DENY');
    },
  };
}
