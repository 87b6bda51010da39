/**
 * The Bicep printer: a syntax tree (syntax.ts) → Bicep source text in Bicep's own style: single
 * quotes, 2-space indentation, one property or item per line in multi-line objects and arrays, no
 * commas, a blank line between declarations and a final newline. Multi-line `'''` strings are never
 * used because they cannot escape anything.
 */
import { canonicalize } from './canonical';
import { isHiddenChar, needsQuotedKey, unicodeEscape } from './names';
import type { BicepFile, Decorator, Expr, Property, Statement } from './syntax';

const INDENT = '  ';

/** Returns the Bicep text of `file` (canonicalized first, so names are valid and unique). */
export function printBicep(file: BicepFile): string {
  const statements = canonicalize(file).statements.map(printStatement);
  return statements.length === 0 ? '' : `${statements.join('\n\n')}\n`;
}

/** The body of a Bicep string literal for `value`, without the quotes. */
export function escapeBicepText(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    const code = value.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '$' && value.charAt(i + 1) === '{') out += '\\$';
    else if (code >= 0xd800 && code <= 0xdbff && isLow(value.charCodeAt(i + 1))) {
      out += value.slice(i, i + 2);
      i++;
    } else if ((code >= 0xd800 && code <= 0xdfff) || isHiddenChar(code)) out += unicodeEscape(code);
    else out += ch;
  }
  return out;
}

/** A Bicep string literal: `'…'` with everything escaped. */
export function bicepString(value: string): string {
  return `'${escapeBicepText(value)}'`;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function printStatement(s: Statement): string {
  const lines = (s.comments ?? []).map(comment);
  const head = (text: string) => [...lines, text].join('\n');
  switch (s.kind) {
    case 'metadata':
      return head(`metadata ${s.name} = ${expr(s.value, 0)}`);
    case 'targetScope':
      return head(`targetScope = ${bicepString(s.scope)}`);
    case 'param': {
      const value = s.defaultValue === undefined ? '' : ` = ${expr(s.defaultValue, 0)}`;
      return head([...s.decorators.map(decorator), `param ${s.name} ${s.type}${value}`].join('\n'));
    }
    case 'var':
      return head(`var ${s.name} = ${expr(s.value, 0)}`);
    case 'resource': {
      const existing = s.existing ? ' existing' : '';
      const props: Property[] = [
        ...(s.parent === undefined
          ? []
          : [{ key: 'parent', value: { kind: 'ref', name: s.parent } as Expr }]),
        ...(s.scope === undefined ? [] : [{ key: 'scope', value: s.scope }]),
        ...s.body,
        ...dependsOn(s.dependsOn),
      ];
      const type = bicepString(`${s.type}@${s.apiVersion}`);
      return head(`resource ${s.name} ${type}${existing} = ${object(props, 0)}`);
    }
    case 'module': {
      const props: Property[] = [
        ...(s.scope === undefined ? [] : [{ key: 'scope', value: s.scope }]),
        ...s.body,
        ...dependsOn(s.dependsOn),
      ];
      return head(`module ${s.name} ${bicepString(s.path)} = ${object(props, 0)}`);
    }
    case 'output':
      return head(
        [...s.decorators.map(decorator), `output ${s.name} ${s.type} = ${expr(s.value, 0)}`].join('\n'),
      );
  }
}

function dependsOn(names: readonly string[] | undefined): Property[] {
  if (names === undefined) return [];
  const items = names.map((name) => ({ value: { kind: 'ref', name } as Expr }));
  return [{ key: 'dependsOn', value: { kind: 'array', items } }];
}

function decorator(d: Decorator): string {
  return `@${d.name}(${d.args.map((a) => expr(a, 0)).join(', ')})`;
}

/** A `//` line for one canonical comment line (canonicalize has removed line breaks). */
function comment(line: string): string {
  return line === '' ? '//' : `// ${line}`;
}

function commentLines(comments: readonly string[] | undefined, depth: number): string {
  const pad = INDENT.repeat(depth);
  return (comments ?? []).map((c) => `${pad}${comment(c)}\n`).join('');
}

function object(properties: readonly Property[], depth: number): string {
  if (properties.length === 0) return '{}';
  const pad = INDENT.repeat(depth + 1);
  const body = properties
    .map((p) => {
      const key = needsQuotedKey(p.key) ? bicepString(p.key) : p.key;
      return `${commentLines(p.comments, depth + 1)}${pad}${key}: ${expr(p.value, depth + 1)}\n`;
    })
    .join('');
  return `{\n${body}${INDENT.repeat(depth)}}`;
}

/** Prints `e` at nesting `depth` (the indentation of the line it starts on). */
function expr(e: Expr, depth: number): string {
  switch (e.kind) {
    case 'string':
      return bicepString(e.value);
    case 'int':
      return String(e.value);
    case 'bool':
      return String(e.value);
    case 'null':
      return 'null';
    case 'object':
      return object(e.properties, depth);
    case 'array': {
      if (e.items.length === 0) return '[]';
      const pad = INDENT.repeat(depth + 1);
      const body = e.items
        .map((i) => `${commentLines(i.comments, depth + 1)}${pad}${expr(i.value, depth + 1)}\n`)
        .join('');
      return `[\n${body}${INDENT.repeat(depth)}]`;
    }
    case 'ref':
      return e.name;
    case 'member': {
      const target = e.object.kind === 'ref' || e.object.kind === 'member' || e.object.kind === 'call';
      const object = target ? expr(e.object, depth) : `(${expr(e.object, depth)})`;
      return needsQuotedKey(e.property) ? `${object}[${bicepString(e.property)}]` : `${object}.${e.property}`;
    }
    case 'call':
      return `${e.name}(${e.args.map((a) => expr(a, depth)).join(', ')})`;
    case 'interp':
      return `'${e.parts.map((p) => (typeof p === 'string' ? escapeBicepText(p) : `\${${expr(p, depth)}}`)).join('')}'`;
    case 'ternary': {
      const operand = (x: Expr) => (x.kind === 'ternary' ? `(${expr(x, depth)})` : expr(x, depth));
      return `${operand(e.condition)} ? ${operand(e.whenTrue)} : ${operand(e.whenFalse)}`;
    }
  }
}
