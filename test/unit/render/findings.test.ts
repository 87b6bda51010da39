/**
 * The findings formats on findings made by the test pack (test/support/probe-rules.ts): text for a
 * terminal (counts first, 80 columns, colour only when asked), Markdown for a PR comment (capped,
 * hostile names inert), JSON (deterministic), SARIF 2.1.0 (validated by Microsoft's SARIF
 * multitool).
 */
import Ajv2020 from 'ajv/dist/2020';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAcceptances } from '../../../src/analyze/accept';
import type { FindingsResult } from '../../../src/analyze/findings';
import { computeFindings } from '../../../src/analyze/run-findings';
import { expiredAcceptance } from '../../../src/analyze/rules/aci015-expired-acceptance';
import { colorAllowed } from '../../../src/cli/io';
import { snapshotToString } from '../../../src/model/snapshot-codec';
import type { Snapshot } from '../../../src/model/snapshot';
import { compilePolicy } from '../../../src/policy';
import { shellQuote, snapshotLineIndex, type FindingsReport } from '../../../src/render/findings-common';
import { serializeFindingsJson } from '../../../src/render/findings-json';
import { MARKDOWN_FINDINGS, mdText, renderFindingsMarkdown } from '../../../src/render/findings-markdown';
import { renderFindingsSarif, SARIF_FINGERPRINT } from '../../../src/render/findings-sarif';
import { renderFindingsText, wrap, wrapCommand } from '../../../src/render/findings-text';
import { makeNsg, makeRule, makeSnapshot, makeSubnet, makeVnet } from '../../support/builders';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';
import { PROBE_RULES } from '../../support/probe-rules';

const HOSTILE = 'evil|name<script>alert(1)</script>`rm -rf`\nline2 & **bold** [x](http://e)';

/** An estate with `rules` inbound allow rules in one NSG (names given), and a subnet without NSG. */
function estate(names: string[]): Snapshot {
  const vnet = makeVnet({ name: 'vnet-a' });
  const nsg = makeNsg({
    name: 'nsg-a',
    rules: names.map((name, i) => makeRule({ name, priority: 100 + i, destinationPorts: String(1000 + i) })),
  });
  return makeSnapshot({
    virtualNetworks: [vnet],
    subnets: [
      makeSubnet(vnet, { name: 'snet-a', addressPrefixes: ['10.0.1.0/24'], nsg }),
      makeSubnet(vnet, { name: 'snet-bare', addressPrefixes: ['10.0.2.0/24'] }),
    ],
    networkSecurityGroups: [nsg],
  });
}

function findingsOf(snapshot: Snapshot, acceptYaml = 'accept: []\n', today = '2026-11-26'): FindingsResult {
  const parsed = parseAcceptances(acceptYaml, 'intent.yaml', ['ACI901', 'ACI902', 'ACI015']);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return computeFindings({
    engine: compilePolicy(snapshot),
    intent: { file: 'intent.yaml', entries: [], accept: parsed.acceptances },
    today,
    rules: [...PROBE_RULES, expiredAcceptance],
  }).result;
}

function report(result: FindingsResult, extra: Partial<FindingsReport> = {}): FindingsReport {
  return {
    result,
    snapshot: { path: 'my estate.json', uri: 'my%20estate.json', lineOf: () => null },
    limit: 25,
    color: false,
    ...extra,
  };
}

const hub = () => findingsOf(hubSpokeSnapshot());

describe('text', () => {
  it('starts with the counts line, then the most severe findings with their explain command', () => {
    const text = renderFindingsText(report(hub()));
    const lines = text.split('\n');
    expect(lines[0]).toBe('12 findings: 3 critical, 9 high, 0 medium, 0 low, 0 info');
    expect(lines[1]).toBe('by rule: ACI901 9, ACI902 3');
    expect(lines[2]).toBe('observed flows: none (add --flows to compare with flow logs)');
    expect(lines[4]).toBe('CRITICAL (3)');
    expect(lines[5]).toMatch(/^ 1\. ACI902 subnet \S+ has no NSG: every flow to it is allowed$/);
    // The first finding's evidence command, with the path shell-quoted, is on the first screen.
    expect(lines.slice(0, 12).join('\n')).toContain(
      "evidence aciseg explain 'my estate.json' --from Internet",
    );
  });

  it('every line fits 80 columns; long words are cut, commands wrap at arguments with a shell \\', () => {
    const long = `Allow-${'x'.repeat(120)}`;
    const text = renderFindingsText(report(findingsOf(estate([long, 'AllowWeb']))));
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('x'.repeat(40));
    expect(wrap('a b c d e f', 5, '', ' ')).toEqual(['a b c', ' d e', ' f']);
    // A long port list is cut after a comma, never inside a port number; a word with no comma or slash
    // near the end is cut at the width.
    const ports = Array.from({ length: 30 }, (_, i) => 5000 + i).join(',');
    const wrapped = wrap(`ports ${ports}`, 40, '', '  ');
    for (const line of wrapped.slice(0, -1)) expect(line.endsWith(',')).toBe(true);
    expect(wrapped.map((line) => line.trim()).join('')).toBe(`ports ${ports}`);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(40);
    expect(wrap('y'.repeat(50), 20, '', '')).toEqual(['y'.repeat(20), 'y'.repeat(20), 'y'.repeat(10)]);
    const cmd = wrapCommand(
      'aciseg explain s.json --from Internet --to vnet-app/snet-aci-web --port 22',
      42,
      '  ',
      '    ',
    );
    expect(cmd).toEqual([
      '  aciseg explain s.json --from Internet \\',
      '    --to vnet-app/snet-aci-web --port 22',
    ]);
  });

  it('is plain without colour (no escape sequences), coloured when asked', () => {
    const plain = renderFindingsText(report(hub()));
    // eslint-disable-next-line no-control-regex
    expect(plain).not.toMatch(/\u001b/);
    const coloured = renderFindingsText(report(hub(), { color: true }));
    expect(coloured).toContain('\u001b[1;31mCRITICAL (3)\u001b[0m');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[[\d;]*m/g, '')).toBe(plain);
  });

  it('colour only on a terminal, never with NO_COLOR set (unless empty)', () => {
    expect(colorAllowed(true, {})).toBe(true);
    expect(colorAllowed(false, {})).toBe(false);
    expect(colorAllowed(undefined, {})).toBe(false);
    expect(colorAllowed(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorAllowed(true, { NO_COLOR: '' })).toBe(true);
  });

  it('hostile names are printed escaped (no line forged by a newline or a control character)', () => {
    const text = renderFindingsText(report(findingsOf(estate([HOSTILE]))));
    expect(text).toContain('\\u{a}line2');
    expect(text).not.toContain('\nline2');
  });

  it('shows --limit findings in full and counts the rest per rule; accepted ones apart', () => {
    const names = Array.from({ length: 30 }, (_, i) => `Allow${i}`);
    const snapshot = estate(names);
    const all = findingsOf(snapshot);
    const target = all.findings.find((f) => f.ruleId === 'ACI901')!;
    const result = findingsOf(
      snapshot,
      `accept:\n  - {fingerprint: ${target.fingerprint}, reason: tested, owner: qa, expires: 2027-01-01}\n`,
    );
    const text = renderFindingsText(report(result, { limit: 5 }));
    expect(text).toContain('30 findings: 1 critical, 29 high, 0 medium, 0 low, 0 info; 1 accepted');
    expect(text).toContain(
      '25 more findings not shown (--limit 5; --format json lists all):\n  high ACI901: Inbound allow rule ×25',
    );
    const tail = text.slice(text.indexOf('ACCEPTED (1)')).replace(/\s+/g, ' ');
    expect(tail).toMatch(
      /^ACCEPTED \(1\): reported, never failing --fail-on ACI901 high: nsg-a\/Allow\d+ allows \* in on tcp \d+ — accepted until 2027-01-01 by qa \(accept\[0\]\): tested $/,
    );
  });

  it('shellQuote leaves plain paths alone and single-quotes the rest', () => {
    expect(shellQuote('out/s.json')).toBe('out/s.json');
    expect(shellQuote("it's here.json")).toBe("'it'\\''s here.json'");
    expect(shellQuote('$(rm -rf).json')).toBe("'$(rm -rf).json'");
  });
});

describe('markdown', () => {
  it('a summary line, a table and one <details> per finding', () => {
    const md = renderFindingsMarkdown(report(hub()));
    const lines = md.split('\n');
    expect(lines[0]).toBe('### aciseg: 12 findings (3 critical, 9 high, 0 medium, 0 low, 0 info)');
    expect(md).toContain(
      '| # | Severity | Rule | Finding |\n| --- | --- | --- | --- |\n| 1 | 🟥 critical | ACI902 |',
    );
    expect(md.match(/<details>/g)).toHaveLength(hub().findings.length);
    expect(md.match(/<\/details>/g)).toHaveLength(hub().findings.length);
  });

  it(`is capped at ${MARKDOWN_FINDINGS} findings, with a note of how many more`, () => {
    const names = Array.from({ length: 80 }, (_, i) => `Allow${i}`);
    const md = renderFindingsMarkdown(report(findingsOf(estate(names))));
    expect(md.match(/^\| \d+ \|/gm)).toHaveLength(MARKDOWN_FINDINGS);
    expect(md).toContain('> 31 more findings are not listed: run `aciseg analyze --format json`');
    expect(md.length).toBeLessThan(65_536);
  });

  it('hostile names cannot open a cell, a tag, a code span, emphasis or a link, nor break a line', () => {
    const md = renderFindingsMarkdown(report(findingsOf(estate([HOSTILE]))));
    const row = md.split('\n').find((l) => l.startsWith('| 2 |'))!;
    // A row has its 5 cell separators only.
    expect(row.split('|')).toHaveLength(6);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('`rm');
    expect(md).not.toContain('**bold**');
    expect(md).not.toContain('[x](');
    expect(md).not.toMatch(/^line2/m);
    expect(mdText('a|b<c>`d`\ne')).toBe('a&#124;b&#60;c&#62;&#96;d&#96; e');
    expect(mdText('- list', true)).toBe('&#45; list');
    expect(mdText('12. item', true)).toBe('&#49;2. item');
    expect(mdText('3 open paths', true)).toBe('3 open paths');
    expect(mdText('- in a cell')).toBe('- in a cell');
  });
});

describe('json', () => {
  it('kind aciseg.findings, schema 2, counts, rules and findings; explain with the real path', () => {
    const result = hub();
    const doc = JSON.parse([...serializeFindingsJson(report(result))].join(''));
    expect(Object.keys(doc)).toEqual([
      'kind',
      'schemaVersion',
      'generator',
      'snapshot',
      'counts',
      'accepted',
      'total',
      'window',
      'rules',
      'findings',
    ]);
    expect(doc).toMatchObject({
      kind: 'aciseg.findings',
      schemaVersion: 2,
      snapshot: 'my estate.json',
      total: result.findings.length,
    });
    expect(doc.rules.map((r: { id: string }) => r.id)).toEqual(['ACI901', 'ACI902', 'ACI015']);
    expect(doc.findings.find((f: { ruleId: string }) => f.ruleId === 'ACI015')).toBeUndefined();
    expect(doc.findings[3].explain).toMatch(/^aciseg explain 'my estate\.json' --from Internet/);
    expect(Object.keys(doc.findings[3])).toEqual([
      'ruleId',
      'severity',
      'title',
      'message',
      'fingerprint',
      'accepted',
      'resources',
      'flows',
      'flowsOmitted',
      'rules',
      'remediation',
      'explain',
      'controls',
      'location',
    ]);
  });

  it('is deterministic: the same snapshot, listed in another order, gives the same bytes', () => {
    const a = [...serializeFindingsJson(report(findingsOf(estate(['A', 'B', 'C']))))].join('');
    const b = [...serializeFindingsJson(report(findingsOf(estate(['A', 'B', 'C']))))].join('');
    expect(b).toBe(a);
    // One finding per line, so the document streams.
    expect(a.split('\n').filter((l) => l.startsWith('{"ruleId"'))).toHaveLength(4);
  });
});

describe('sarif', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-sarif-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  interface SarifResult {
    ruleId: string;
    level: string;
    partialFingerprints: Record<string, string>;
    suppressions?: unknown[];
    locations: {
      physicalLocation: { artifactLocation: unknown; region: { startLine: number } };
      logicalLocations: { name: string }[];
    }[];
  }
  interface SarifLog {
    version: string;
    runs: {
      tool: { driver: { rules: { id: string; help: { markdown: string } }[] } };
      results: SarifResult[];
    }[];
  }

  function sarifOf(snapshot: Snapshot, acceptYaml?: string): SarifLog {
    const lines = snapshotLineIndex(snapshot);
    const result = findingsOf(snapshot, acceptYaml);
    return JSON.parse(
      renderFindingsSarif(
        report(result, { snapshot: { path: 's.json', uri: 's.json', lineOf: lines.lineOf } }),
      ),
    );
  }

  it('one reportingDescriptor per pack rule, results with level, fingerprint, location and suppressions', () => {
    const snapshot = hubSpokeSnapshot();
    const accepted = findingsOf(snapshot).findings.find((f) => f.ruleId === 'ACI901')!;
    const log = sarifOf(
      snapshot,
      `accept:\n  - {fingerprint: ${accepted.fingerprint}, reason: behind the firewall, owner: sec, expires: 2027-01-01}\n`,
    );
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['ACI901', 'ACI902', 'ACI015']);
    expect(run.tool.driver.rules[0]!).toMatchObject({
      id: 'ACI901',
      name: 'ProbeInboundAllow',
      shortDescription: { text: 'Inbound allow rule' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'network', 'mcsb/NS-1'], 'security-severity': '8.0' },
    });
    expect(run.tool.driver.rules[0]!.help.markdown).toContain('**Remediation:**');
    const critical = run.results[0]!;
    expect(critical).toMatchObject({ ruleId: 'ACI902', ruleIndex: 1, level: 'error' });
    expect(critical.partialFingerprints[SARIF_FINGERPRINT]).toMatch(/^[0-9a-f]{32}$/);
    const suppressed = run.results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'behind the firewall (owner sec, accepted until 2027-01-01, intent accept[0])',
      },
    ]);
  });

  it('locations point at the line of the resource in the snapshot file', () => {
    const snapshot = hubSpokeSnapshot();
    const text = snapshotToString(snapshot).split('\n');
    const log = sarifOf(snapshot);
    for (const r of log.runs[0]!.results) {
      const loc = r.locations[0]!;
      expect(loc.physicalLocation.artifactLocation).toEqual({ uri: 's.json', index: 0 });
      const line = loc.physicalLocation.region.startLine as number;
      const resource = JSON.parse(text[line - 1]!.replace(/,$/, '')) as { name: string };
      const named = loc.logicalLocations[0]!.name as string;
      // ACI901 points at the NSG's line (the rule is inside it), ACI902 at the subnet's.
      expect([
        resource.name,
        ...((resource as { securityRules?: { name: string }[] }).securityRules ?? []).map((s) => s.name),
      ]).toContain(named);
    }
    expect(snapshotLineIndex(snapshot).lines).toBe(text.length - 1);
  });

  it('is valid against the official SARIF 2.1.0 JSON schema (as shipped with the multitool), which refuses a broken log', () => {
    const schema = JSON.parse(
      fs.readFileSync(require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json'), 'utf8'),
    ) as object;
    const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    const snapshot = estate([HOSTILE, 'AllowWeb']);
    const first = findingsOf(snapshot).findings[0]!;
    const log = sarifOf(
      snapshot,
      `accept:\n  - {fingerprint: ${first.fingerprint}, reason: r, owner: o, expires: 2027-01-01}\n`,
    );
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    log.runs[0]!.results[0]!.level = 'severe';
    expect(validate(log)).toBe(false);
  });

  it("is valid SARIF 2.1.0 by Microsoft's multitool (hostile names and suppressions included)", () => {
    const snapshot = estate([HOSTILE, 'AllowWeb']);
    const first = findingsOf(snapshot).findings[0]!;
    const file = path.join(dir, 'findings.sarif');
    fs.writeFileSync(
      file,
      `${JSON.stringify(sarifOf(snapshot, `accept:\n  - {fingerprint: ${first.fingerprint}, reason: r, owner: o, expires: 2027-01-01}\n`), null, 2)}\n`,
    );
    const tool = require.resolve('@microsoft/sarif-multitool-linux/Sarif.Multitool');
    const out = path.join(dir, 'validation.sarif');
    const r = spawnSync(tool, ['validate', file, '--output', out, '--log', 'ForceOverwrite'], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    });
    expect(r.error).toBeUndefined();
    const validation = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      runs: { results?: { level?: string; ruleId: string; message: { text?: string } }[] }[];
    };
    // Not an error, and not a warning either (the validator's own rules: SARIF1xxx errors, SARIF2xxx advice).
    const problems = (validation.runs[0]!.results ?? []).map((x) => `${x.level ?? 'warning'} ${x.ruleId}`);
    expect(problems).toEqual([]);
    expect(r.status).toBe(0);
  });
});
