/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Machine-readable reason, e.g. `milestone-out-of-order`. */
  code?: string;
  errors?: (FieldError | RowError)[];
}

export interface FieldError {
  field: string;
  message: string;
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

/** An error that already knows its problem document. */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly code?: string,
    readonly errors?: (FieldError | RowError)[],
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldError[], code = 'invalid-input') =>
  new ProblemException(400, detail, code, errors);
export const notFoundProblem = (detail: string, code = 'not-found') =>
  new ProblemException(404, detail, code);
export const forbidden = (detail: string) => new ProblemException(403, detail, 'forbidden');
