// One small client for the admin API: same-origin fetches with the session cookie, JSON in and
// out, and every failure as an ApiError carrying the server's statusCode, message and field, so a
// form can put the message beside the field it is about.

export interface ErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  field?: string;
}

export class ApiError extends Error {
  readonly statusCode: number;
  /** The body field the message is about, when the server named one (e.g. "title", "body.title"). */
  readonly field: string | null;

  constructor(statusCode: number, message: string, field: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.field = field;
  }
}

const FALLBACK: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'Please sign in.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  409: 'This conflicts with the current state; reload and try again.',
  413: 'The file is too large.',
  415: 'This file type is not accepted.',
  429: 'Too many attempts, try again in a minute'
};

/** The error a failed answer stands for; `body` is whatever JSON the server sent, if any. */
export function toApiError(status: number, body: unknown): ApiError {
  const b = body && typeof body === 'object' ? (body as ErrorBody) : {};
  const message =
    typeof b.message === 'string' && b.message.trim()
      ? b.message
      : (FALLBACK[status] ?? (status >= 500 ? 'The server failed; try again.' : `Request failed (${status}).`));
  // Fastify's validation names a field as "body/title" or "/title"; keep only the field's own name.
  const field = typeof b.field === 'string' && b.field ? b.field.replace(/^(body|querystring|params)?[./]/, '') : null;
  return new ApiError(status, message, field);
}

/** A failure that is not an answer (network down, server gone) as an ApiError with status 0. */
export function networkError(): ApiError {
  return new ApiError(0, 'Cannot reach the server. Check the connection and try again.');
}

/** The message for a field, when `error` is about it; form fields show it beside themselves. */
export function fieldError(error: unknown, field: string): string | null {
  return error instanceof ApiError && error.field === field ? error.message : null;
}

/** The message for the form as a whole: any error not about one of `fields`. */
export function formError(error: unknown, fields: readonly string[] = []): string | null {
  if (!error) return null;
  if (error instanceof ApiError) return error.field && fields.includes(error.field) ? null : error.message;
  return error instanceof Error ? error.message : String(error);
}

export interface RequestOptions {
  /** A JSON body (serialized), or raw bytes (a File or Blob, sent as they are). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Leave a 401 to the caller (the login form), instead of sending the browser to sign in. */
  allowUnauthorized?: boolean;
}

export interface ApiDeps {
  fetch: typeof fetch;
  /** Called on a 401 (the session ended): the app sends the browser to the login page. */
  onUnauthorized: () => void;
}

export type Api = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;

export function createApi(deps: ApiDeps): Api {
  return async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body: BodyInit | undefined;
    if (options.body instanceof Blob) {
      body = options.body;
      headers['content-type'] ??= 'application/octet-stream';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    let res: Response;
    try {
      res = await deps.fetch(path, { method, body, headers, credentials: 'same-origin' });
    } catch {
      throw networkError();
    }
    const text = await res.text().catch(() => '');
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      const error = toApiError(res.status, json);
      if (res.status === 401 && !options.allowUnauthorized) deps.onUnauthorized();
      throw error;
    }
    return json as T;
  };
}

/** Where to go after signing in: `next` when it is an admin page of ours (no open redirect), else the picker. */
export function afterLogin(next: string | null): string {
  return next && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('/admin/login') ? next : '/admin';
}
