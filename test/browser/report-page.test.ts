/**
 * The report page in real Chromium, opened from file://: it draws with no console error and no
 * request, every container group is an element, clicking an edge shows its deciding rules, hostile
 * names stay text, and the layout of the same input is the same on every load.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { Snapshot } from '../../src/model/snapshot';
import { readPageAssets } from '../../src/cli/commands/report';
import { renderReportHtml } from '../../src/render/report-html';
import { computeReachability } from '../../src/analyze/reachability';
import type { FindingsResult } from '../../src/analyze/findings';
import type { PlanResult } from '../../src/plan/model';
import { compilePolicy } from '../../src/policy/engine';
import { buildReportData } from '../../src/render/report-data';
import { runCapture } from '../support/cli';
import { hubSpokeProposal, reportDataOf, reportEstate } from '../support/report-estate';
import { SCREENSHOTS, chromiumMode, launchChromium } from './chromium';

const ROOT = path.join(__dirname, '..', '..');
const HOSTILE = '</script><img src=x onerror=alert(1)>';
const { mode, note } = chromiumMode();

let dir: string;
let browser: { context: BrowserContext; close(): Promise<void> };
let snapshot: Snapshot;

async function report(snapshotFile: string, out: string, ...extra: string[]): Promise<string> {
  const r = await runCapture(['report', snapshotFile, '-o', out, '-q', ...extra], ROOT);
  expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  return out;
}

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens a report from disk and waits until it has drawn; records errors, requests and dialogs. */
async function open(file: string): Promise<Loaded> {
  const page = await browser.context.newPage();
  const loaded: Loaded = { page, errors: [], requests: [], dialogs: [] };
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') loaded.errors.push(m.text());
  });
  page.on('pageerror', (e) => loaded.errors.push(String(e)));
  page.on('request', (r) => {
    if (r.url() !== url) loaded.requests.push(r.url());
  });
  page.on('dialog', (d) => {
    loaded.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url);
  await page.waitForFunction('document.body.dataset.ready === "true"', undefined, { timeout: 30000 });
  return loaded;
}

const describeChromium = mode === 'skip' ? describe.skip : describe;
if (mode === 'skip') console.warn(note);

/** The sample with its proposal, one finding and the plan's rule changes made by hand (the rule pack and planner are not needed). */
function tablesData(snapshot: Snapshot) {
  const proposed = hubSpokeProposal(snapshot);
  const web = snapshot.subnets.find((s) => s.name === 'snet-aci-web')!;
  const nsg = snapshot.networkSecurityGroups.find((n) => n.id === web.networkSecurityGroupId)!;
  const findings: FindingsResult = {
    findings: [
      {
        ruleId: 'ACI002',
        severity: 'critical',
        title: 'Management port open to the Internet',
        message: 'Internet can reach snet-aci-web on tcp 22 (SSH)',
        resources: [{ kind: 'subnet', id: web.id, name: web.name }],
        flows: [
          {
            from: 'Internet',
            to: 'vnet-app/snet-aci-web',
            fromKey: 'external:internet',
            toKey: `subnet:${web.id}`,
            protocol: 'tcp',
            ports: '22',
            verdict: 'allow',
          },
        ],
        flowsOmitted: 0,
        rules: [],
        remediation: 'remove the rule',
        explain: 'aciseg explain <snapshot> --from Internet --to vnet-app/snet-aci-web --port 22',
        controls: { mcsb: ['NS-1'], cis: [] },
        fingerprint: '0123456789abcdef0123456789abcdef',
        location: null,
        accepted: null,
      },
    ],
    counts: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
    accepted: 0,
    rules: [],
    window: null,
  };
  const ssh = nsg.securityRules.find((r) => r.name === 'AllowSshFromInternet')!;
  const deny = proposed.networkSecurityGroups
    .find((n) => n.id === nsg.id)!
    .securityRules.find((r) => r.name === 'DenyAllOtherInbound')!;
  const plan = {
    nsgs: [
      {
        id: nsg.id,
        name: nsg.name,
        resourceGroup: null,
        subscriptionId: null,
        location: null,
        isNew: false,
        subnets: [web.id],
        rules: [
          {
            rule: deny,
            status: 'added',
            provenance: [{ kind: 'default-deny', text: 'closes what AllowVnetInBound opens' }],
          },
        ],
        removed: [ssh],
      },
    ],
    required: [],
    proof: { ok: true },
    effect: {},
    proposed,
  } as unknown as PlanResult;
  const engine = compilePolicy(snapshot, {});
  const afterEngine = compilePolicy(proposed, {});
  return buildReportData({
    snapshot,
    before: { engine, reach: computeReachability(engine) },
    after: { engine: afterEngine, reach: computeReachability(afterEngine), plan },
    findings,
    title: 'hub-spoke with findings and a plan',
  });
}

describeChromium('the HTML report in Chromium', () => {
  beforeAll(async () => {
    if (mode === 'fail') throw new Error(note);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-report-page-'));
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const snap = path.join(dir, 'hub-spoke.json');
    const r = await runCapture(['import', path.join(ROOT, 'samples', 'hub-spoke'), '-o', snap, '-q'], ROOT);
    expect(r.code).toBe(0);
    snapshot = JSON.parse(fs.readFileSync(snap, 'utf8')) as Snapshot;
    await report(snap, path.join(dir, 'hub-spoke.html'));
    // Every name a hostile string: VNets, subnets, container groups, NSGs and their rules.
    const hostile = structuredClone(snapshot);
    for (const list of [
      hostile.virtualNetworks,
      hostile.subnets,
      hostile.containerGroups,
      hostile.networkSecurityGroups,
    ])
      list.forEach((r, i) => (r.name = `${HOSTILE}${i}`));
    for (const n of hostile.networkSecurityGroups)
      n.securityRules.forEach((r, i) => (r.name = `${HOSTILE}r${i}`));
    fs.writeFileSync(path.join(dir, 'hostile.json'), JSON.stringify(hostile));
    await report(path.join(dir, 'hostile.json'), path.join(dir, 'hostile.html'));
    // A proposal made by hand (SSH from the Internet removed, deny-all inbound added to the web NSG).
    fs.writeFileSync(path.join(dir, 'proposed.json'), JSON.stringify(hubSpokeProposal(snapshot)));
    await report(snap, path.join(dir, 'diff.html'), '--proposed', path.join(dir, 'proposed.json'));
    // The planner's proposal from the sample's flow logs and intent.
    await report(
      snap,
      path.join(dir, 'plan.html'),
      '--flows',
      path.join(ROOT, 'samples', 'hub-spoke-flow-logs'),
      '--intent',
      path.join(ROOT, 'samples', 'hub-spoke', 'intent.yaml'),
      '--today',
      '2026-12-01',
    );
    const { script: pageScript, style: pageStyle } = readPageAssets();
    fs.writeFileSync(
      path.join(dir, 'tables.html'),
      renderReportHtml(tablesData(snapshot), pageScript, pageStyle),
    );
    // A report as a large estate gets it: no class detail, no rules embedded.
    const bare = reportDataOf(reportEstate(), 0, 0);
    const { script, style } = readPageAssets();
    fs.writeFileSync(path.join(dir, 'bare.html'), renderReportHtml(bare, script, style));
    browser = await launchChromium();
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the sample from file:// with no console error and no request', async () => {
    const { page, errors, requests } = await open(path.join(dir, 'hub-spoke.html'));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke.png') });
    await page.close();
  });

  it('has a data-node-id for every container group of the sample', async () => {
    const { page } = await open(path.join(dir, 'hub-spoke.html'));
    const ids = await page.$$eval('[data-node-id]', (els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(snapshot.containerGroups.length).toBeGreaterThan(0);
    for (const g of snapshot.containerGroups) expect(ids).toContain(g.id);
    await page.close();
  });

  it('clicking the Internet → web subnet edge opens the panel with the deciding rule', async () => {
    const { page, errors } = await open(path.join(dir, 'hub-spoke.html'));
    const web = snapshot.subnets.find((s) => s.name === 'snet-aci-web')!;
    const edge = page.locator(`[data-edge-id="external:internet -> ${web.id}"]`);
    await edge.dispatchEvent('click');
    const panel = page.locator('#panel');
    await panel.waitFor({ state: 'visible' });
    const nsg = snapshot.networkSecurityGroups.find((n) => n.id === web.networkSecurityGroupId)!;
    const allowing = nsg.securityRules.filter((r) => r.direction === 'Inbound' && r.access === 'Allow');
    const names = await panel.locator('.rule-name').allTextContents();
    expect(allowing.some((r) => names.includes(r.name))).toBe(true);
    expect(await panel.textContent()).toContain(nsg.name);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-edge-panel.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders hostile names as text and runs no script from them', async () => {
    const { page, errors, requests, dialogs } = await open(path.join(dir, 'hostile.html'));
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(requests).toEqual([]);
    const texts = await page.locator('svg text').allTextContents();
    expect(texts.some((t) => t.startsWith('</script>'))).toBe(true);
    // The panel shows a full hostile rule name as text.
    const web = snapshot.subnets.find((s) => s.name === 'snet-aci-web')!;
    await page.locator(`[data-edge-id="external:internet -> ${web.id}"]`).dispatchEvent('click');
    expect(await page.locator('#panel .rule-name').allTextContents()).toContainEqual(
      expect.stringContaining(HOSTILE),
    );
    expect(await page.locator('img').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hostile.png') });
    await page.close();
  });

  it('draws the same layout on two loads', async () => {
    const picture = async () => {
      const { page } = await open(path.join(dir, 'hub-spoke.html'));
      const svg = await page.$eval('.stage svg', (s) => s.outerHTML);
      await page.close();
      return svg;
    };
    const first = await picture();
    expect(first).toContain('data-edge-id');
    expect(await picture()).toBe(first);
  });

  it('without embedded rules an edge keeps its risk and its panel names the explain command', async () => {
    const { page, errors } = await open(path.join(dir, 'bare.html'));
    const edge = page.locator('[data-edge-id^="external:internet -> "][data-edge-id$="/subnets/snet-web"]');
    expect(await edge.getAttribute('stroke')).toBe('#c8102e');
    await edge.dispatchEvent('click');
    const text = await page.locator('#panel').textContent();
    expect(text).toContain('aciseg explain <snapshot> --from Internet --to vnet-a/snet-web --port <port>');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('searches by container group name, and zooms with the wheel', async () => {
    const { page, errors } = await open(path.join(dir, 'hub-spoke.html'));
    const all = await page.locator('[data-edge-id]').count();
    await page.fill('#search', 'status-page');
    const found = await page
      .locator('[data-edge-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-edge-id')));
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(all);
    const status = snapshot.containerGroups.find((g) => g.name === 'status-page')!;
    for (const id of found) expect(id).toContain(status.id);
    const transform = () => page.$eval('.viewport', (g) => g.getAttribute('transform'));
    const before = await transform();
    await page.mouse.move(800, 500);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(
      `document.querySelector('.viewport').getAttribute('transform') !== ${JSON.stringify(before)}`,
    );
    expect(await transform()).not.toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by port and exports the view as SVG and PNG', async () => {
    const { page } = await open(path.join(dir, 'hub-spoke.html'));
    const all = await page.locator('[data-edge-id]').count();
    await page.fill('#port', '22');
    const ssh = await page.locator('[data-edge-id]').count();
    expect(ssh).toBeGreaterThan(0);
    expect(ssh).toBeLessThan(all);
    const download = page.waitForEvent('download');
    await page.getByText('Export SVG').click();
    const file = path.join(dir, 'export.svg');
    await (await download).saveAs(file);
    const svg = fs.readFileSync(file, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('data-edge-id');
    const png = page.waitForEvent('download');
    await page.getByText('Export PNG').click();
    const pngFile = path.join(dir, 'export.png');
    await (await png).saveAs(pngFile);
    expect(fs.readFileSync(pngFile).subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    fs.copyFileSync(pngFile, path.join(SCREENSHOTS, 'hub-spoke-port-22-export.png'));
    await page.close();
  });

  it('switching to Diff shows the SSH-from-Internet edge as closed; After leaves it out', async () => {
    const { page, errors } = await open(path.join(dir, 'diff.html'));
    const web = snapshot.subnets.find((s) => s.name === 'snet-aci-web')!;
    const selector = `[data-edge-id="external:internet -> ${web.id}"]`;
    expect(await page.locator(selector).getAttribute('data-status')).toBe('unchanged');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-before.png') });
    await page.getByRole('button', { name: 'Diff', exact: true }).click();
    expect(await page.evaluate('document.body.dataset.view')).toBe('diff');
    const edge = page.locator(selector);
    expect(await edge.getAttribute('data-status')).toBe('closed');
    expect(await edge.getAttribute('stroke-dasharray')).not.toBeNull();
    expect(await page.locator('.legend').textContent()).toContain('closed by the proposal');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-diff.png') });
    // Its panel says what the proposal takes away, and the rule that let it through before (the
    // subnet's 0.0.0.0/0 route makes VirtualNetwork every address: AllowVnetInBound admits the Internet).
    await edge.dispatchEvent('click');
    const panel = page.locator('#panel');
    expect(await panel.locator('.status-badge').getAttribute('data-status')).toBe('closed');
    expect(await panel.textContent()).toContain('no longer allowed: tcp all ports; udp all ports; icmp');
    expect(await panel.locator('.rule-name').allTextContents()).toContain('AllowVnetInBound');
    expect(await panel.textContent()).toContain('Before the proposal');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-diff-edge.png') });
    await page.getByRole('button', { name: 'After', exact: true }).click();
    expect(await page.locator(selector).count()).toBe(0);
    expect(await page.locator('[data-edge-id]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-after.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the summary counts findings by severity and what the proposal closes; table rows highlight their elements', async () => {
    const { page, errors, requests } = await open(path.join(dir, 'tables.html'));
    expect(requests).toEqual([]);
    expect(await page.locator('#summary-findings .sev-critical').textContent()).toBe('1 critical');
    expect(await page.locator('#summary-plan').textContent()).toMatch(/closes [1-9]\d* subnet-level paths/);
    await page.locator('#tab-findings').click();
    const row = page.locator('#findings-table tr[data-fingerprint]');
    await row.click();
    const web = snapshot.subnets.find((s) => s.name === 'snet-aci-web')!;
    expect(await page.locator('[data-highlight]').count()).toBe(1);
    const lit = page.locator(`[data-edge-id="external:internet -> ${web.id}"]`);
    expect(await lit.getAttribute('stroke')).toBe('#d4148c');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-finding-row.png') });
    await page.locator('#tab-proposed').click();
    const rules = page.locator('#proposed-table tr[data-rule]');
    expect(await rules.allTextContents()).toEqual([
      expect.stringContaining('DenyAllOtherInbound'),
      expect.stringContaining('AllowSshFromInternet'),
    ]);
    await rules.first().click();
    expect(await page.locator('[data-highlight]').count()).toBe(1);
    // The severity filter keeps the flows a critical finding concerns.
    await page.selectOption('#severity', '0');
    const ids = await page
      .locator('[data-edge-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-edge-id')));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toContain(web.id);
    // A node's panel lists its findings and the proposed rules that change it.
    await page.locator(`[data-node-id="${web.id}"] rect`).first().dispatchEvent('click');
    const text = await page.locator('#panel').textContent();
    expect(text).toContain('Management port open to the Internet');
    expect(text).toContain('added: nsg-aci-web/DenyAllOtherInbound');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws the planner's proposal: Diff shows what it closes, the proposed-rules table lists its rules", async () => {
    const { page, errors } = await open(path.join(dir, 'plan.html'));
    await page.getByRole('button', { name: 'Diff', exact: true }).click();
    expect(await page.locator('[data-edge-id][data-status="closed"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-edge-id][data-status="opened"]').count()).toBe(0);
    await page.locator('#tab-proposed').click();
    expect(await page.locator('#proposed-table tr[data-rule]').count()).toBeGreaterThan(0);
    await page.locator('#proposed-table tr[data-rule]').first().click();
    expect(await page.locator('[data-highlight]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-plan-diff.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('with flow logs, edges carry their observed volume and the width control draws it', async () => {
    const { page, errors } = await open(path.join(dir, 'plan.html'));
    const appgw = snapshot.subnets.find((s) => s.name === 'snet-appgw')!;
    const web = snapshot.subnets.find((s) => s.name === 'snet-aci-web')!;
    const busy = page.locator(`[data-edge-id="${appgw.id} -> ${web.id}"]`);
    const unseen = page.locator(`[data-edge-id="external:internet -> ${web.id}"]`);
    expect(await busy.getAttribute('data-volume')).toBe('336');
    expect(await unseen.getAttribute('data-volume')).toBe('0');
    const widths = async () => [
      Number(await busy.getAttribute('stroke-width')),
      Number(await unseen.getAttribute('stroke-width')),
    ];
    // By risk the Internet edge is the wider one; by volume the busy one is, the unseen one dotted.
    const [busyRisk, unseenRisk] = await widths();
    expect(unseenRisk).toBeGreaterThan(busyRisk!);
    expect(await page.locator('#width').isVisible()).toBe(true);
    await page.locator('#width').selectOption('volume');
    const [busyVolume, unseenVolume] = await widths();
    expect(busyVolume).toBeGreaterThan(unseenVolume!);
    expect(await unseen.getAttribute('stroke-dasharray')).toBe('1 3');
    expect(await page.locator('#legend, svg').first().textContent()).toContain(
      'not seen in the flow-log window',
    );
    await busy.dispatchEvent('click');
    const panel = page.locator('#panel');
    await panel.waitFor({ state: 'visible' });
    expect(await panel.textContent()).toContain('336 allowed tuples, 168 flows started');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-volume.png') });
    // Expanded to container groups, each line carries its own observed volume.
    await panel.getByRole('button', { name: 'Show container groups' }).click();
    const flows = page.locator('[data-flow]');
    expect(await flows.count()).toBeGreaterThan(0);
    const volumes = await flows.evaluateAll((ps) => ps.map((p) => p.getAttribute('data-volume')));
    expect(volumes.every((v) => v !== null)).toBe(true);
    expect(volumes.map(Number).reduce((a, b) => a + b, 0)).toBe(336);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hub-spoke-volume-groups.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
