/**
 * A strict parser for the subset of Bicep that src/render/bicep/print.ts writes, for tests: there
 * is no Bicep compiler here, so well-formedness is checked by reading the text back into a tree.
 * It follows Bicep's lexical rules (Azure/bicep src/Bicep.Core/Parsing/Lexer.cs): single-quoted
 * strings with the escapes \\ \' \n \r \t \$ \u{hex}, `${…}` holes that may not contain a line
 * break, `//` comments that end at \n or \r, identifiers [A-Za-z_][A-Za-z0-9_]*. It is stricter
 * than Bicep about layout: it demands the printer's 2-space indentation, one blank line between
 * declarations, no trailing blanks and a final newline, so a layout slip fails a test too.
 * The result is the canonical tree (what `canonicalize` returns); errors name line and column.
 */
import type {
  BicepFile,
  Decorator,
  Expr,
  Item,
  Property,
  Statement,
  TargetScope,
  ValueType,
} from '../../src/render/bicep/syntax';

const TYPES: readonly string[] = ['string', 'int', 'bool', 'object', 'array'];
const SCOPES: readonly string[] = ['resourceGroup', 'subscription', 'managementGroup', 'tenant'];
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };

/** Parses printed Bicep text into a tree; throws an Error naming the line and column of a problem. */
export function parseBicep(text: string): BicepFile {
  return new Parser(text).file();
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  file(): BicepFile {
    const statements: Statement[] = [];
    if (this.text === '') return { statements };
    for (;;) {
      statements.push(this.statement());
      this.expect('\n');
      if (this.pos === this.text.length) return { statements };
      this.expect('\n');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Statements
  // -------------------------------------------------------------------------------------------

  private statement(): Statement {
    const comments = this.commentLines(0);
    const c = comments.length > 0 ? { comments } : {};
    const decorators: Decorator[] = [];
    while (this.peek() === '@') {
      this.pos++;
      const name = this.functionName();
      decorators.push({ name, args: this.args(0) });
      this.expect('\n');
    }
    const keyword = this.identifier();
    if (decorators.length > 0 && keyword !== 'param' && keyword !== 'output')
      this.fail(`decorators before ${keyword}`);
    switch (keyword) {
      case 'metadata': {
        const name = this.after(' ', () => this.identifier());
        return { kind: 'metadata', ...c, name, value: this.assigned() };
      }
      case 'targetScope': {
        const scope = this.assignedWith(() => this.plainString());
        if (!SCOPES.includes(scope)) this.fail(`unknown targetScope '${scope}'`);
        return { kind: 'targetScope', ...c, scope: scope as TargetScope };
      }
      case 'param': {
        const name = this.after(' ', () => this.identifier());
        const type = this.after(' ', () => this.valueType());
        const defaultValue = this.peek() === ' ' ? this.assigned() : undefined;
        return {
          kind: 'param',
          ...c,
          name,
          type,
          decorators,
          ...(defaultValue === undefined ? {} : { defaultValue }),
        };
      }
      case 'var': {
        const name = this.after(' ', () => this.identifier());
        return { kind: 'var', ...c, name, value: this.assigned() };
      }
      case 'output': {
        const name = this.after(' ', () => this.identifier());
        const type = this.after(' ', () => this.valueType());
        return { kind: 'output', ...c, name, type, decorators, value: this.assigned() };
      }
      case 'resource':
        return this.resource(c);
      case 'module':
        return this.module(c);
      default:
        return this.fail(`unknown declaration '${keyword}'`);
    }
  }

  private resource(c: { comments?: string[] }): Statement {
    const name = this.after(' ', () => this.identifier());
    const typeAt = this.pos + 1;
    const typeAndVersion = this.after(' ', () => this.plainString());
    const at = typeAndVersion.lastIndexOf('@');
    if (at < 0) this.fail('resource type without @apiVersion', typeAt);
    let existing = false;
    if (this.text.startsWith(' existing', this.pos)) {
      this.pos += ' existing'.length;
      existing = true;
    }
    const body = this.assignedWith(() => this.objectProperties(0));
    const placed = this.takePlaced(body);
    return {
      kind: 'resource',
      ...c,
      name,
      type: typeAndVersion.slice(0, at),
      apiVersion: typeAndVersion.slice(at + 1),
      existing,
      ...placed,
    };
  }

  private module(c: { comments?: string[] }): Statement {
    const name = this.after(' ', () => this.identifier());
    const path = this.after(' ', () => this.plainString());
    const body = this.assignedWith(() => this.objectProperties(0));
    const { parent, ...placed } = this.takePlaced(body);
    if (parent !== undefined) this.fail('a module has no parent');
    return { kind: 'module', ...c, name, path, ...placed };
  }

  /** Splits `parent`, `scope` and `dependsOn` out of a resource or module body. */
  private takePlaced(properties: Property[]): {
    parent?: string;
    scope?: Expr;
    body: Property[];
    dependsOn?: string[];
  } {
    const result: { parent?: string; scope?: Expr; body: Property[]; dependsOn?: string[] } = { body: [] };
    for (const p of properties) {
      if (p.key === 'parent') {
        if (p.value.kind !== 'ref') this.fail('parent must be a symbol');
        result.parent = p.value.name;
      } else if (p.key === 'scope') result.scope = p.value;
      else if (p.key === 'dependsOn') {
        const v = p.value;
        if (v.kind !== 'array') return this.fail('dependsOn must be an array');
        result.dependsOn = v.items.map((i) =>
          i.value.kind === 'ref' ? i.value.name : this.fail('dependsOn item'),
        );
      } else result.body.push(p);
    }
    return result;
  }

  private valueType(): ValueType {
    const t = this.identifier();
    if (!TYPES.includes(t)) this.fail(`unknown type '${t}'`);
    return t as ValueType;
  }

  private assigned(): Expr {
    return this.assignedWith(() => this.expr(0));
  }

  private assignedWith<T>(read: () => T): T {
    this.expect(' = ');
    return read();
  }

  private after<T>(prefix: string, read: () => T): T {
    this.expect(prefix);
    return read();
  }

  // -------------------------------------------------------------------------------------------
  // Expressions
  // -------------------------------------------------------------------------------------------

  private expr(depth: number): Expr {
    const condition = this.operand(depth);
    if (!this.text.startsWith(' ? ', this.pos)) return condition;
    this.pos += 3;
    const whenTrue = this.operand(depth);
    this.expect(' : ');
    const whenFalse = this.operand(depth);
    return { kind: 'ternary', condition, whenTrue, whenFalse };
  }

  /** A ternary operand: anything but an unparenthesized ternary. */
  private operand(depth: number): Expr {
    let e = this.primary(depth);
    for (;;) {
      if (this.peek() === '.') {
        this.pos++;
        const propertyAt = this.pos;
        const property = this.identifier();
        if (property === 'true' || property === 'false' || property === 'null')
          this.fail(`'.${property}' is a keyword; Bicep needs ['${property}']`, propertyAt);
        // `az.resourceGroup()`: a namespace-qualified call, not a member access.
        if (this.peek() === '(' && e.kind === 'ref') {
          e = { kind: 'call', name: `${e.name}.${property}`, args: this.args(depth) };
        } else e = { kind: 'member', object: e, property };
      } else if (this.peek() === '[') {
        this.pos++;
        const property = this.plainString();
        this.expect(']');
        e = { kind: 'member', object: e, property };
      } else return e;
    }
  }

  private primary(depth: number): Expr {
    const ch = this.peek();
    if (ch === "'") return this.string();
    if (ch === '{') return { kind: 'object', properties: this.objectProperties(depth) };
    if (ch === '[') return this.array(depth);
    if (ch === '(') {
      this.pos++;
      const inner = this.expr(depth);
      this.expect(')');
      if (
        inner.kind !== 'ternary' &&
        !['string', 'int', 'bool', 'null', 'object', 'array', 'interp'].includes(inner.kind)
      )
        this.fail('needless parentheses');
      return inner;
    }
    if (ch === '-' || isDigit(ch)) return this.integer();
    const name = this.identifier();
    if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true' };
    if (name === 'null') return { kind: 'null' };
    if (this.peek() === '(') return { kind: 'call', name, args: this.args(depth) };
    return { kind: 'ref', name };
  }

  private integer(): Expr {
    const start = this.pos;
    if (this.peek() === '-') this.pos++;
    const digits = this.pos;
    while (isDigit(this.peek())) this.pos++;
    if (this.pos === digits) this.fail('digits expected');
    const text = this.text.slice(start, this.pos);
    if (/^-?0\d/.test(text) || text === '-0') this.fail(`non-canonical number ${text}`, start);
    const value = Number(text);
    if (!Number.isSafeInteger(value)) this.fail(`number out of range ${text}`, start);
    return { kind: 'int', value };
  }

  private args(depth: number): Expr[] {
    this.expect('(');
    const args: Expr[] = [];
    if (this.peek() === ')') {
      this.pos++;
      return args;
    }
    for (;;) {
      args.push(this.expr(depth));
      if (this.peek() === ')') {
        this.pos++;
        return args;
      }
      this.expect(', ');
    }
  }

  private objectProperties(depth: number): Property[] {
    this.expect('{');
    const properties: Property[] = [];
    if (this.peek() === '}') {
      this.pos++;
      return properties;
    }
    this.expect('\n');
    const keys = new Set<string>();
    while (!this.closing(depth, '}')) {
      const comments = this.commentLines(depth + 1);
      this.indent(depth + 1);
      const keyAt = this.pos;
      const key = this.peek() === "'" ? this.plainString() : this.identifier();
      if (keys.has(key)) this.fail(`duplicate key '${key}'`, keyAt);
      keys.add(key);
      this.expect(': ');
      const value = this.expr(depth + 1);
      this.expect('\n');
      properties.push({ key, value, ...(comments.length > 0 ? { comments } : {}) });
    }
    if (properties.length === 0) this.fail('a multi-line object needs a property');
    return properties;
  }

  private array(depth: number): Expr {
    this.expect('[');
    const items: Item[] = [];
    if (this.peek() === ']') {
      this.pos++;
      return { kind: 'array', items };
    }
    this.expect('\n');
    while (!this.closing(depth, ']')) {
      const comments = this.commentLines(depth + 1);
      this.indent(depth + 1);
      const value = this.expr(depth + 1);
      this.expect('\n');
      items.push({ value, ...(comments.length > 0 ? { comments } : {}) });
    }
    if (items.length === 0) this.fail('a multi-line array needs an item');
    return { kind: 'array', items };
  }

  /** Consumes the indented closing bracket if it is next. */
  private closing(depth: number, bracket: string): boolean {
    const close = `${'  '.repeat(depth)}${bracket}`;
    if (!this.text.startsWith(close, this.pos)) return false;
    this.pos += close.length;
    return true;
  }

  /** A string or an interpolation. */
  private string(): Expr {
    this.expect("'");
    const parts: (string | Expr)[] = [];
    let text = '';
    for (;;) {
      const ch = this.peek();
      if (ch === '') this.fail('unterminated string');
      if (ch === '\n' || ch === '\r') this.fail('line break in a string');
      if (ch === "'") {
        this.pos++;
        break;
      }
      if (ch === '\\') {
        text += this.escape();
        continue;
      }
      if (ch === '$' && this.text.charAt(this.pos + 1) === '{') {
        this.pos += 2;
        if (text !== '') parts.push(text);
        text = '';
        const holeAt = this.pos;
        const hole = this.expr(0);
        if (this.text.slice(holeAt, this.pos).includes('\n'))
          this.fail('line break in an interpolation', holeAt);
        this.expect('}');
        parts.push(hole);
        continue;
      }
      text += ch;
      this.pos++;
    }
    if (text !== '') parts.push(text);
    if (parts.every((p) => typeof p === 'string')) return { kind: 'string', value: parts.join('') };
    return { kind: 'interp', parts };
  }

  /** A string without interpolation (types, paths, keys, targetScope). */
  private plainString(): string {
    const at = this.pos;
    const s = this.string();
    if (s.kind !== 'string') this.fail('interpolation not allowed here', at);
    return s.value;
  }

  private escape(): string {
    this.pos++;
    const ch = this.peek();
    this.pos++;
    const simple = ESCAPES[ch];
    if (simple !== undefined) return simple;
    if (ch !== 'u' || this.peek() !== '{') this.fail(`bad escape \\${ch}`);
    this.pos++;
    const start = this.pos;
    while (/[0-9A-Fa-f]/.test(this.peek())) this.pos++;
    const code = parseInt(this.text.slice(start, this.pos), 16);
    if (this.pos === start || code > 0x10ffff) this.fail('bad \\u{…} escape');
    this.expect('}');
    return String.fromCodePoint(code);
  }

  // -------------------------------------------------------------------------------------------
  // Lexical helpers
  // -------------------------------------------------------------------------------------------

  private commentLines(depth: number): string[] {
    const lines: string[] = [];
    const pad = '  '.repeat(depth);
    while (this.text.startsWith(`${pad}//`, this.pos)) {
      this.pos += pad.length + 2;
      const end = this.lineEnd();
      let line = this.text.slice(this.pos, end);
      if (line !== '' && !line.startsWith(' ')) this.fail('a comment starts with one space');
      line = line.slice(1);
      if (line !== line.trimEnd() || line.includes('\r')) this.fail('trailing blanks in a comment');
      lines.push(line);
      this.pos = end;
      this.expect('\n');
    }
    return lines;
  }

  private lineEnd(): number {
    const n = this.text.indexOf('\n', this.pos);
    return n < 0 ? this.text.length : n;
  }

  private indent(depth: number): void {
    this.expect('  '.repeat(depth));
    if (this.peek() === ' ') this.fail('wrong indentation');
  }

  private identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos, this.pos + 512));
    if (m === null) return this.fail('identifier expected');
    this.pos += m[0].length;
    return m[0];
  }

  private functionName(): string {
    const first = this.identifier();
    if (this.peek() !== '.') return first;
    this.pos++;
    return `${first}.${this.identifier()}`;
  }

  private peek(): string {
    return this.text.charAt(this.pos);
  }

  private expect(s: string): void {
    if (!this.text.startsWith(s, this.pos)) this.fail(`expected ${JSON.stringify(s)}`);
    this.pos += s.length;
  }

  private fail(message: string, at = this.pos): never {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new Error(
      `bicep-parse ${line}:${column}: ${message} near ${JSON.stringify(this.text.slice(at, at + 30))}`,
    );
  }
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}
