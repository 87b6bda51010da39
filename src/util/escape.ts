/**
 * Makes input text safe to print on a terminal: control characters, line separators and bidi
 * overrides (which could forge lines or reorder what people read) become `\u{…}` escapes.
 * Every name, type and path that reaches stdout or stderr as text goes through here.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    return `\\u{${(ch.codePointAt(0) as number).toString(16)}}`;
  });
}

/** Escapes each line of a text that is meant to span several lines (a stack trace, help text). */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
