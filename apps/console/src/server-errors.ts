/** RFC 9457 problem details as the API sends them (API.md "Conventions"). */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: (FieldError | RowError)[];
}

export interface FieldError {
  field: string;
  message: string;
}

/** A problem in one cell of an uploaded spreadsheet (`POST /imports`, 400 `import-rejected`). */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

export type UiLanguage = 'zh-CN' | 'en-US';

/**
 * One language of the API's "中文 / English" text. `chineseFirst` is the order it was written in
 * (the response's Content-Language; an import's row messages are always Chinese first). Chinese
 * text never contains " / ", English may: the split is at the separator nearest the Chinese.
 */
export function inLanguage(text: string, language: UiLanguage, chineseFirst: boolean): string {
  const at = chineseFirst ? text.indexOf(' / ') : text.lastIndexOf(' / ');
  if (at < 0) return text;
  const [first, second] = [text.slice(0, at), text.slice(at + 3)];
  const chinese = chineseFirst ? first : second;
  const english = chineseFirst ? second : first;
  return language === 'zh-CN' ? chinese : english;
}

/** Whether a response's Content-Language (`zh, en` or `en, zh`) puts Chinese first (the default). */
export function chineseFirstOf(contentLanguage: string | null): boolean {
  return !contentLanguage?.trim().toLowerCase().startsWith('en');
}

/** The problem in the console's language: detail, field messages and (Chinese-first) row messages. */
export function localizeProblem<P extends Problem>(
  problem: P,
  language: UiLanguage,
  chineseFirst: boolean,
): P {
  const errors = problem.errors?.map((error) =>
    typeof error.message === 'string'
      ? { ...error, message: inLanguage(error.message, language, 'row' in error ? true : chineseFirst) }
      : error,
  );
  return {
    ...problem,
    ...(problem.detail !== undefined ? { detail: inLanguage(problem.detail, language, chineseFirst) } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** The row errors of an import's refusal, if that is what the problem is. */
export function rowErrorsOf(problem: Problem): RowError[] {
  return (problem.errors ?? []).filter((error): error is RowError => 'row' in error);
}

/** The part of antd's FormInstance this needs. */
export interface FieldErrorSink {
  setFields(fields: { name: string; errors: string[] }[]): void;
}

export interface ServerErrorOptions {
  /** The form's field names. */
  fields: readonly string[];
  /** Rule errors the API reports without a field (409s), and the field they belong to. */
  fieldOfCode?: Readonly<Record<string, string>>;
  /** The console's own words, only for a problem the server did not write (network errors). */
  fallback?: (problem: Problem) => string | undefined;
}

/**
 * Sets the API's errors, in the server's words, on the form's fields: `errors[]` by field path,
 * else a rule error's code on the field it is about. Returns what belongs to no field (to show
 * above the form).
 */
export function applyServerErrors(
  form: FieldErrorSink,
  problem: Problem,
  { fields, fieldOfCode = {}, fallback = () => undefined }: ServerErrorOptions,
): string[] {
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  const place = (field: string | undefined, message: string) => {
    if (field !== undefined && fields.includes(field))
      byField.set(field, [...(byField.get(field) ?? []), message]);
    else unplaced.push(message);
  };
  const message = problem.detail ?? fallback(problem) ?? problem.title ?? String(problem.status);
  const fieldErrors = (problem.errors ?? []).filter((error): error is FieldError => 'field' in error);
  if (fieldErrors.length > 0) {
    for (const error of fieldErrors) place(fieldOf(error.field), error.message);
  } else if (problem.code && fieldOfCode[problem.code]) {
    place(fieldOfCode[problem.code], message);
  } else {
    unplaced.push(message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return unplaced;
}

/** `data.occurredOn`, `occurredOn[0]` and `occurredOn` all name the field `occurredOn`. */
function fieldOf(path: string): string {
  return path
    .replace(/^(data|body)\./, '')
    .replace(/\[\d+\]$/, '')
    .split('.')[0];
}
