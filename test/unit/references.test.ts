/**
 * Every reference in src/ and test/ to a document resolves inside the repository: `docs/….md` names
 * a file that exists, `decision N` a decision of docs/semantics.md, `§N` one of its sections, and no
 * comment points at a document outside the repository (the design notes it was written from).
 * This file is not scanned: it spells the patterns out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const semantics = fs.readFileSync(path.join(repo, 'docs', 'semantics.md'), 'utf8');

/** Decision numbers: the `N. ` items under `## Decisions`. */
const decisions = new Set(
  [...(semantics.split(/^## Decisions$/m)[1] ?? '').matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1])),
);
/** Section numbers: the `### §N` headings. */
const sections = new Set([...semantics.matchAll(/^### §(\d+) /gm)].map((m) => Number(m[1])));

/** Source files to scan: code and comments, not data (fixtures and golden files hold none). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['fixtures', 'golden'].includes(entry.name)) out.push(...sourceFiles(full));
    } else if (/\.(ts|js|mjs|cjs)$/.test(entry.name) && full !== __filename) out.push(full);
  }
  return out;
}

interface Reference {
  where: string;
  text: string;
}

/** Every match of `pattern` in the scanned files, with file:line. */
function references(pattern: RegExp): Reference[] {
  const out: Reference[] = [];
  for (const file of [...sourceFiles(path.join(repo, 'src')), ...sourceFiles(path.join(repo, 'test'))]) {
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const m of line.matchAll(pattern))
          out.push({ where: `${path.relative(repo, file)}:${i + 1}`, text: m[0] });
      });
  }
  return out;
}

/** The numbers of `decision 4`, `decisions 2, 3, 7`, `decisions 2 and 3`. */
function decisionNumbers(text: string): number[] {
  return [...text.replace(/^decisions? /, '').matchAll(/\d+/g)].map((m) => Number(m[0]));
}

const DECISION_REF = /\bdecisions? \d+(?:(?:, | and )\d+)*/g;

describe('references to docs/semantics.md', () => {
  it('has decisions 1–13 and sections §0–§9, numbered without gaps', () => {
    expect([...decisions]).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect([...sections]).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('every docs/….md named in src/ and test/ exists', () => {
    const refs = references(/\bdocs\/[\w./-]*?\.md\b/g);
    expect(refs.length).toBeGreaterThan(10);
    const missing = refs.filter((r) => !fs.existsSync(path.join(repo, r.text)));
    expect(missing).toEqual([]);
  });

  it('every `decision N` in src/ and test/ is a decision of docs/semantics.md', () => {
    const refs = references(DECISION_REF);
    expect(refs.length).toBeGreaterThan(5);
    const unknown = refs.filter((r) => decisionNumbers(r.text).some((n) => !decisions.has(n)));
    expect(unknown).toEqual([]);
  });

  it('every `§N` in src/ and test/ is a section of docs/semantics.md', () => {
    const refs = references(/§\d+(?:\.\d+)*/g);
    expect(refs.length).toBeGreaterThan(10);
    const unknown = refs.filter((r) => !/^§\d+$/.test(r.text) || !sections.has(Number(r.text.slice(1))));
    expect(unknown).toEqual([]);
  });

  it('no comment in src/ or test/ points at a document outside the repository', () => {
    const outside =
      /\bDESIGN(?:\.md)?\b|azure-semantics|engine-and-reliability|style-anchors|landscape\.md|shared\/docs|\/work\//g;
    expect(references(outside)).toEqual([]);
  });

  it('the decisions and sections docs/semantics.md cites in itself exist', () => {
    const cited = [...semantics.matchAll(DECISION_REF)].flatMap((m) => decisionNumbers(m[0]));
    expect(cited.filter((n) => !decisions.has(n))).toEqual([]);
    const sectionsCited = [...semantics.matchAll(/§(\d+)/g)].map((m) => Number(m[1]));
    expect(sectionsCited.filter((n) => !sections.has(n))).toEqual([]);
  });
});
