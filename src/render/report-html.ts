/**
 * The HTML report page: one self-contained file. The data is embedded as JSON in a non-executed
 * script element, with `<`, U+2028 and U+2029 escaped so no name can end the element or the string;
 * the page script (viz/, bundled by esbuild) and the style sheet are inline and allowed by their
 * SHA-256 hashes in a Content-Security-Policy that allows nothing else (no request of any kind).
 */
import { createHash } from 'node:crypto';
import type { ReportData } from './report-model';

/** JSON that is safe inside an HTML script element and a JavaScript string. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The embedded form of the data: node IDs split at their last `/` into a shared prefix (listed once in
 * `idPrefixes`) and the rest; the page restores them (viz/src/shape.ts expandIds). Resource IDs share
 * long prefixes, so this saves about half the node table. The input is not changed.
 */
export function compactIds(data: ReportData): ReportData {
  const prefixes: string[] = [];
  const number = new Map<string, number>();
  const nodes = data.nodes.map((n) => {
    const cut = n.id.lastIndexOf('/') + 1;
    if (cut === 0) return n;
    const prefix = n.id.slice(0, cut);
    let p = number.get(prefix);
    if (p === undefined) {
      p = prefixes.length;
      prefixes.push(prefix);
      number.set(prefix, p);
    }
    return { ...n, id: n.id.slice(cut), p };
  });
  return { ...data, nodes, idPrefixes: prefixes };
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Text for an HTML text node or a double-quoted attribute (single quotes stay, for a readable CSP). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's Content-Security-Policy: only the inline script and style with these hashes; images from the page itself (PNG export). */
export function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    'img-src data: blob:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The report as one HTML document. `script` is the bundled page (dist/viz/report.js). */
export function renderReportHtml(data: ReportData, script: string, style: string): string {
  // An inline script must not contain `</script`; the bundle is ours, but check rather than trust.
  if (/<\/script/i.test(script)) throw new Error('the page bundle contains </script');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(script, style))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    `<script type="application/json" id="report-data">${embedJson(compactIds(data))}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
