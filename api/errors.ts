/**
 * The API's errors: GraphQLErrors with a machine-readable `extensions.code`, so Yoga's masking
 * lets them through while any other error reaches the client as "Unexpected error." (and the
 * server log). Non-GraphQL routes (downloads, CSV export) answer with the same codes as JSON.
 */
import { GraphQLError } from 'graphql';

export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'QUERY_TOO_COMPLEX'
  | 'LENGTH_REQUIRED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'OVERLOADED'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Record<ApiErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  QUERY_TOO_COMPLEX: 400,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  TIMEOUT: 503,
  OVERLOADED: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export class ApiError extends GraphQLError {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}) {
    // A refused query is a request error: HTTP 400 under application/graphql-response+json,
    // 200 with `errors` under plain application/json, as GraphQL over HTTP says (`http` is not sent).
    // A query stopped at its deadline or refused for load is worth asking again: 503 and
    // Retry-After, whatever the media type.
    const http =
      code === 'QUERY_TOO_COMPLEX'
        ? { http: { status: 400, spec: true } }
        : HTTP_STATUS[code] === 503
          ? { http: { status: 503, headers: { 'retry-after': String(extra.retryAfterSeconds ?? 1) } } }
          : {};
    super(message, { extensions: { code, ...extra, ...http } });
    this.code = code;
    this.name = 'ApiError';
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  /** Headers the answer carries (Retry-After for 503s). */
  get headers(): Record<string, string> {
    const http = this.extensions.http as { headers?: Record<string, string> } | undefined;
    return http?.headers ?? {};
  }
}

/** A wrong argument: names the argument and says what would be accepted. */
export const badInput = (message: string, argument?: string) => new ApiError('BAD_USER_INPUT', message, argument ? { argument } : {});

/** The body of a non-GraphQL error response, shaped like a GraphQL error list (without the HTTP details). */
export function errorBody(err: ApiError): string {
  const { http: _http, ...extensions } = err.extensions;
  return JSON.stringify({ errors: [{ message: err.message, extensions }] });
}

export function errorResponse(err: ApiError, headers: Record<string, string> = {}): Response {
  return new Response(errorBody(err), { status: err.status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...err.headers, ...headers } });
}
