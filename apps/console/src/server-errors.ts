/** RFC 9457 problem details as the API sends them (API.md "Conventions"). */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
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
  /** The console's message for a code, in the current language. */
  messageOf?: (code: string) => string | undefined;
}

/**
 * Sets the API's errors on the form's fields: `errors[]` by field path, else a rule error's
 * code on the field it is about. Returns what belongs to no field (to show above the form).
 */
export function applyServerErrors(
  form: FieldErrorSink,
  problem: Problem,
  { fields, fieldOfCode = {}, messageOf = () => undefined }: ServerErrorOptions,
): string[] {
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  const place = (field: string | undefined, message: string) => {
    if (field !== undefined && fields.includes(field))
      byField.set(field, [...(byField.get(field) ?? []), message]);
    else unplaced.push(message);
  };
  const coded = problem.code ? messageOf(problem.code) : undefined;
  if (problem.errors && problem.errors.length > 0) {
    for (const error of problem.errors) place(fieldOf(error.field), error.message);
  } else if (problem.code && fieldOfCode[problem.code]) {
    place(fieldOfCode[problem.code], coded ?? problem.detail ?? problem.title ?? String(problem.status));
  } else {
    unplaced.push(coded ?? problem.detail ?? problem.title ?? String(problem.status));
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
