import { Bilingual } from '@app/domain';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  /** Both languages, in the order the caller's Accept-Language prefers (Chinese first by default). */
  detail: string;
  instance?: string;
  /** Machine-readable reason, e.g. `milestone-out-of-order`; the same in every language. */
  code?: string;
  errors?: (FieldError | RowError)[];
}

export interface FieldError {
  field: string;
  message: string;
}

/** A field's message before the language order is chosen. */
export interface FieldText {
  field: string;
  text: Bilingual;
}

/** A problem in one cell of an uploaded spreadsheet (`POST /imports`). */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** What a status means in Chinese, for errors whose detail only exists in English (framework errors). */
export const STATUS_ZH: Record<number, string> = {
  400: '请求无效',
  401: '身份验证失败',
  403: '无权执行此操作',
  404: '未找到所请求的资源',
  405: '不支持该请求方法',
  409: '与已记录的事实冲突',
  412: '版本不符',
  413: '请求体过大',
  415: '不支持的内容类型',
  429: '请求过于频繁',
  500: '服务器内部错误',
  503: '服务暂时不可用',
};

/** An error that already knows its problem document. */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly text: Bilingual,
    readonly code?: string,
    readonly errors?: (FieldText | RowError)[],
    /** Response headers that go with it, e.g. `Retry-After` on a 429 or 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(text.en);
  }
}

/** A refusal the caller should retry after `seconds` (429, 503): the `Retry-After` header says when. */
export const retryLater = (status: 429 | 503, text: Bilingual, code: string, seconds: number) =>
  new ProblemException(status, text, code, undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(seconds))),
  });

export const badRequest = (text: Bilingual, errors?: FieldText[], code = 'invalid-input') =>
  new ProblemException(400, text, code, errors);
export const notFoundProblem = (text: Bilingual, code = 'not-found') => new ProblemException(404, text, code);
export const unauthorized = (text: Bilingual) => new ProblemException(401, text, 'unauthorized');
export const forbidden = (text: Bilingual) => new ProblemException(403, text, 'forbidden');
export const conflictProblem = (text: Bilingual, code: string) => new ProblemException(409, text, code);

/** Chinese first unless the caller's Accept-Language prefers English (API.md "Conventions"). */
export function inOrder(text: Bilingual, englishFirst: boolean): string {
  return englishFirst ? `${text.en} / ${text.zh}` : `${text.zh} / ${text.en}`;
}

/** Whether a request prefers English over Chinese (Express's Accept-Language negotiation). */
export function prefersEnglish(request: {
  acceptsLanguages(...languages: string[]): string | false;
}): boolean {
  return request.acceptsLanguages('zh', 'en') === 'en';
}
