/**
 * The API's errors: GraphQLErrors with a machine-readable `extensions.code`, so Yoga's masking
 * lets them through while any other error reaches the client as "Unexpected error." (and the
 * server log). Non-GraphQL routes (downloads, CSV export) answer with the same codes as JSON.
 */
import { GraphQLError } from 'graphql';

export type ApiErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'QUERY_TOO_COMPLEX' | 'LENGTH_REQUIRED' | 'PAYLOAD_TOO_LARGE' | 'RATE_LIMITED' | 'TIMEOUT' | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Record<ApiErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  QUERY_TOO_COMPLEX: 400,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  TIMEOUT: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export class ApiError extends GraphQLError {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}) {
    // A refused query is a request error: HTTP 400 under application/graphql-response+json,
    // 200 with `errors` under plain application/json, as GraphQL over HTTP says (`http` is not sent).
    const http = code === 'QUERY_TOO_COMPLEX' ? { http: { status: 400, spec: true } } : {};
    super(message, { extensions: { code, ...extra, ...http } });
    this.code = code;
    this.name = 'ApiError';
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

/** A wrong argument: names the argument and says what would be accepted. */
export const badInput = (message: string, argument?: string) => new ApiError('BAD_USER_INPUT', message, argument ? { argument } : {});

/** The body of a non-GraphQL error response, shaped like a GraphQL error list. */
export function errorBody(err: ApiError): string {
  return JSON.stringify({ errors: [{ message: err.message, extensions: err.extensions }] });
}

export function errorResponse(err: ApiError, headers: Record<string, string> = {}): Response {
  return new Response(errorBody(err), { status: err.status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}
