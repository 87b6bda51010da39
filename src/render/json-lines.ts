/**
 * JSON documents written as text chunks, one array item per line, so a large document streams to its
 * file (nothing holds the whole text) and greps; the bytes parse as ordinary JSON.
 */

/** `head`'s fields, then each array by name, one item per line: `{…head…,\n"a":[\n…\n],\n"b":[\n…\n]}\n`. */
export function* jsonDocumentLines(
  head: object,
  arrays: readonly (readonly [name: string, count: number, item: (i: number) => unknown])[],
): Generator<string> {
  const text = JSON.stringify(head);
  yield arrays.length === 0 ? `${text}\n` : `${text.slice(0, -1)},\n`;
  for (let a = 0; a < arrays.length; a++) {
    const [name, count, item] = arrays[a]!;
    yield* jsonArray(name, count, item);
    yield a < arrays.length - 1 ? ',\n' : '}\n';
  }
}

/** `"name":[\n` + one item per line + `]`. */
export function* jsonArray(name: string, count: number, item: (i: number) => unknown): Generator<string> {
  yield `${JSON.stringify(name)}:[\n`;
  for (let i = 0; i < count; i++) yield `${JSON.stringify(item(i))}${i < count - 1 ? ',' : ''}\n`;
  yield ']';
}

/** `[name, count, item]` for an array of values. */
export function lines(name: string, values: readonly unknown[]): [string, number, (i: number) => unknown] {
  return [name, values.length, (i) => values[i]];
}
