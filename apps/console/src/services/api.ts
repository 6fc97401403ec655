import { Problem, UiLanguage, chineseFirstOf, localizeProblem } from '../server-errors';

let language: UiLanguage = 'zh-CN';

export function setApiLanguage(locale: UiLanguage): void {
  language = locale;
}

/** An answer other than 2xx, with its problem document. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

export const UNAUTHORIZED_EVENT = 'plt:unauthorized';

/**
 * One request to the API on the session cookie (same origin, so the browser adds `Origin` to
 * writes). A 401 anywhere but the sign-in itself means the session ended. A refusal comes back
 * in the console's language (the server writes both; Accept-Language puts ours first). A
 * `FormData` body is sent as multipart (uploads).
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const multipart = init.body instanceof FormData;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': language === 'zh-CN' ? 'zh-CN,zh;q=0.9,en;q=0.5' : 'en,zh-CN;q=0.5',
        ...(init.body !== undefined && !multipart ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
      body: multipart
        ? (init.body as FormData)
        : init.body !== undefined
          ? JSON.stringify(init.body)
          : undefined,
    });
  } catch {
    // No server words to show: the console says it in its own (errors.network).
    throw new ApiError({ status: 0, code: 'network' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem = (body as Problem | undefined) ?? { status: response.status };
    if (response.status === 401 && path !== '/session') window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    const chineseFirst = chineseFirstOf(response.headers.get('Content-Language'));
    throw new ApiError(localizeProblem({ ...problem, status: response.status }, language, chineseFirst));
  }
  return body as T;
}

/** A write: a fresh Idempotency-Key per attempt of a dialog, so a retried click records once. */
export function write<T>(path: string, body: unknown, idempotencyKey: string, revision?: number): Promise<T> {
  return api<T>(path, {
    method: 'POST',
    body,
    headers: {
      'Idempotency-Key': idempotencyKey,
      // The revision the officer saw: a 412 rather than a write over someone else's change.
      ...(revision !== undefined ? { 'If-Match': `"${revision}"` } : {}),
    },
  });
}
