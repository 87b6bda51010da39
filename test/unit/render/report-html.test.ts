/** The report page's envelope: JSON that cannot end its script element, and a CSP that allows only the inline page. */
import { createHash } from 'node:crypto';
import {
  compactIds,
  contentSecurityPolicy,
  embedJson,
  renderReportHtml,
} from '../../../src/render/report-html';
import { compressRow } from '../../../src/render/report-data';
import type { ReportData } from '../../../src/render/report-model';
import { expandIds, expandRow } from '../../../viz/src/shape';
import { hubSpokeSnapshot } from '../../support/sample-snapshots';
import { reportDataOf, reportEstate } from '../../support/report-estate';

const hash = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;

describe('embedJson', () => {
  it('escapes <, U+2028 and U+2029 and still parses to the same value', () => {
    const value = { name: '</script><img src=x onerror=alert(1)>\u2028\u2029<!--' };
    const text = embedJson(value);
    expect(text).not.toMatch(/[<\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderReportHtml', () => {
  const data = reportDataOf(reportEstate());
  data.title = '<b>"title"</b>';
  const script = 'document.body.dataset.ready="true";';
  const style = 'body{margin:0}';
  const html = renderReportHtml(data, script, style);

  it('allows exactly the inline script and style by hash, and nothing else', () => {
    const csp = contentSecurityPolicy(script, style);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(html).toContain(`<script>${script}</script>`);
    expect(html).toContain(`<style>${style}</style>`);
  });

  it('has one script end tag per script element: the data cannot break out', () => {
    data.nodes[0]!.name = '</script><script>alert(1)</script>';
    const page = renderReportHtml(data, script, style);
    expect(page.match(/<\/script/gi)).toHaveLength(2);
    expect(page).toContain('<title>&#60;b&#62;&#34;title&#34;&#60;/b&#62;</title>');
  });

  it('refuses a page bundle that would end its own script element', () => {
    expect(() => renderReportHtml(data, 'var a="</script>"', style)).toThrow('</script');
  });
});

describe('compactIds', () => {
  it('stores node IDs once per prefix and the page gets the same nodes back', () => {
    const data = reportDataOf(hubSpokeSnapshot());
    const compact = compactIds(data);
    expect(compact.idPrefixes!.length).toBeLessThan(data.nodes.length / 2);
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(data).length);
    // The input is untouched, and expanding the embedded form gives it back.
    expect(data.idPrefixes).toBeUndefined();
    expect(expandIds(JSON.parse(embedJson(compact)) as ReportData)).toEqual(data);
  });
});

describe('matrix rows', () => {
  it('counted runs expand to the cells they stand for', () => {
    const row = 'AAAAB..........CCC.';
    expect(compressRow(row)).toBe('A4B.10C3.');
    expect(expandRow(compressRow(row))).toBe(row);
  });
});
