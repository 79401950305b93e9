/** What a test reads back from a rendered chart SVG: visible texts, aria labels and mark paths. */
export interface ChartSvg {
  svg: string;
  /** Every <text> content (tspans joined), unescaped. */
  texts: string[];
  /** Panel and chart titles. */
  titles: string[];
  /** aria-label of every mark item (vega writes the `description` channel there). */
  labels: string[];
  /** The `d` of the path whose aria-label is `label`, or undefined. */
  pathOf(label: string): string | undefined;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export function inspectChartSvg(svg: string): ChartSvg {
  const texts = [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    unescapeXml(
      m[1]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
  const titles = [...svg.matchAll(/<g class="mark-text role-title-text"[\s\S]*?<text\b[^>]*>([\s\S]*?)<\/text>/g)].map(
    (m) => unescapeXml(m[1].trim()),
  );
  const labels = [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => unescapeXml(m[1]));
  return {
    svg,
    texts,
    titles,
    labels,
    pathOf: (label) => {
      for (const m of svg.matchAll(/<path\b[^>]*>/g)) {
        const a = /aria-label="([^"]*)"/.exec(m[0]);
        if (a && unescapeXml(a[1]) === label) return /\sd="([^"]*)"/.exec(m[0])?.[1];
      }
      return undefined;
    },
  };
}
