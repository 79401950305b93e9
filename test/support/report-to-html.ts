import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';

/**
 * The markdown report as a standalone HTML page beside it (so its relative SVG paths resolve), the
 * way a markdown viewer shows it: GitHub-like width, white page, dark text. Section headings get
 * ids (#trend, #semantic-cache, ...).
 */
export function writeReportHtml(reportFile: string, markdown: string): string {
  const body = (marked.parse(markdown, { async: false }) as string).replace(
    /<h2>([^<]*)<\/h2>/g,
    (_, t: string) => `<h2 id="${slug(t)}">${t}</h2>`,
  );
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>driftwatch report</title>
<style>body{max-width:760px;margin:16px auto;padding:0 16px;background:#fff;color:#1f2328;font:15px/1.5 Helvetica,Arial,sans-serif}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d0d7de;padding:3px 6px}img{max-width:100%}pre{background:#f6f8fa;padding:8px;overflow:auto}</style>
</head><body>${body}

</body></html>`;
  const file = path.join(path.dirname(reportFile), `${path.basename(reportFile, '.md')}.html`);
  writeFileSync(file, html);
  return file;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/&[a-z]+;/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
