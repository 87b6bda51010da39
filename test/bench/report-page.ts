/**
 * Measures a report page in headless Chromium: time from navigation to `ready`, the page's JS heap
 * and the browser's memory. `npx tsx test/bench/report-page.ts report.html [screenshot.png [view]]`:
 * with a view (After, Diff), the screenshot is of that view, and the switch to it is timed too.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../browser/chromium';

async function main(): Promise<void> {
  const [file, screenshot, viewName] = process.argv.slice(2);
  if (!file) throw new Error('usage: report-page.ts <report.html> [screenshot.png [view]]');
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const start = Date.now();
    await page.goto(pathToFileURL(file).href, { timeout: 120000 });
    await page.waitForFunction('document.body.dataset.ready === "true"', undefined, { timeout: 120000 });
    const ready = Date.now() - start;
    let switched = '';
    if (viewName) {
      const t = Date.now();
      await page.getByRole('button', { name: viewName, exact: true }).click();
      await page.waitForFunction(`document.body.dataset.view === ${JSON.stringify(viewName.toLowerCase())}`);
      switched = `; ${viewName} view in ${((Date.now() - t) / 1000).toFixed(2)} s`;
    }
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')!.value;
    const nodes = metrics.find((m) => m.name === 'Nodes')!.value;
    // Memory of this browser's processes (their command lines name its fresh profile) as PSS, which
    // shares pages among them instead of counting them in every process as RSS does.
    const pids = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(browser.profile))
      .map((l) => l.trim().split(/\s+/)[0]!);
    let pss = 0;
    for (const pid of pids) {
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    }
    if (screenshot) await page.screenshot({ path: screenshot });
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    process.stdout.write(
      `${file}: ${mb(fs.statSync(file).size)}; ready in ${(ready / 1000).toFixed(2)} s; ` +
        `JS heap ${mb(heap)}; ${nodes} DOM nodes; Chromium PSS ${mb(pss)} (${pids.length} processes); ${errors.length} errors${switched}\n`,
    );
    for (const e of errors) process.stdout.write(`  ${e}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
