import type { TopLevelSpec } from 'vega-lite';

/**
 * Compiles a vega-lite spec and renders it to an SVG string with vega's headless renderer (no
 * browser, no canvas). The libraries load on first use, so markdown-only runs never load them.
 */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const [{ compile }, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
