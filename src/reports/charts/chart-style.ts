/**
 * The look every chart shares: the Okabe-Ito palette (distinguishable with the common colour-vision
 * deficiencies; its yellow is left out, too pale on white), dark text on white, sizes that read
 * at 700 px wide.
 */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#000000'];
/** Thresholds, targets and escalation marks: Okabe-Ito vermillion. */
export const ALERT_COLOUR = '#D55E00';
/** Reference lines that are not an alert (baseline, current setting). */
export const REFERENCE_COLOUR = '#444444';
export const TEXT_COLOUR = '#1a1a1a';

/** Total width of a chart in pixels (axes and labels included). */
export const CHART_WIDTH = 700;

/** The colour of the i-th series (cycles). */
export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length];
}

/** vega-lite config: white background, dark text, readable font sizes. */
export const CHART_CONFIG = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  padding: 8,
  title: {
    color: TEXT_COLOUR,
    fontSize: 15,
    subtitleColor: '#333333',
    subtitleFontSize: 12,
    anchor: 'start' as const,
    offset: 10,
  },
  header: { labelColor: TEXT_COLOUR, titleColor: TEXT_COLOUR },
  axis: {
    labelColor: TEXT_COLOUR,
    titleColor: TEXT_COLOUR,
    labelFontSize: 11,
    titleFontSize: 12,
    gridColor: '#e6e6e6',
    domainColor: '#888888',
    tickColor: '#888888',
  },
  legend: { labelColor: TEXT_COLOUR, titleColor: TEXT_COLOUR, labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#cccccc' },
  concat: { spacing: 24 },
};

/**
 * Wraps a caption into lines short enough for 700 px. Without a canvas, vega sizes text by an
 * estimate (0.8 x font size per character), so a long line would widen the whole SVG.
 */
export function wrapCaption(text: string, maxChars = 62): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
