const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Control characters are what these patterns look for.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Text that can be shown, printed and exported as typed: no NUL or other C0/C1 control
 * characters (they break CSV rows, terminals and XML) and no lone UTF-16 surrogates (they
 * cannot be encoded as UTF-8). Tabs and line breaks only where `multiline` allows them
 * (reasons, notes), never in names.
 */
export function isPlainText(text: string, { multiline = false } = {}): boolean {
  return !LONE_SURROGATE.test(text) && !(multiline ? CONTROLS_BUT_LINE_BREAKS : CONTROLS).test(text);
}
