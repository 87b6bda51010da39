/** The report page's envelope: JSON that cannot end its script element, and a CSP that allows only the inline page. */
import { createHash } from 'node:crypto';
import { contentSecurityPolicy, embedJson, renderReportHtml } from '../../../src/render/report-html';
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
