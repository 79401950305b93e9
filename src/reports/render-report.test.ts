import { describe, expect, it } from 'vitest';
import { makeEscalationSummary, makeQuietSummary } from '../../test/support/report-fixtures.js';
import { renderReport } from './render-report.js';

describe('renderReport', () => {
  it('renders an escalation night as the checked-in markdown snapshot', async () => {
    await expect(renderReport(makeEscalationSummary())).toMatchFileSnapshot('./__snapshots__/nightly-escalation.md');
  });

  it('renders a quiet first run as the checked-in markdown snapshot', async () => {
    await expect(renderReport(makeQuietSummary())).toMatchFileSnapshot('./__snapshots__/daemon-quiet.md');
  });

  it('shows the trend as a sparkline per class, and no mermaid chart (it drew missing runs as 0, with no legend)', () => {
    const md = renderReport(makeEscalationSummary());
    expect(md).not.toContain('mermaid');
    // summarize's judge is calibrated: its trend is corrected onto the true scale of the 3.03% line (raw 8.0%)
    expect(md).toMatch(/\| summarize \| `[▁▂▃▄▅▆▇█·]{14}` \| 6\.8% \| 14 \| 1000 1000/);
    expect(md).toMatch(/\| new_class \| `·{14}` \| no data \| 0 \|/);
  });

  it('shows a class without judged samples as "no data", not [0.00%, 100.00%]', () => {
    const md = renderReport(makeEscalationSummary());
    expect(md).toContain('| new_class | gpt-4o-mini | trivial | 0 | this run | 0 | — | 0 | no data | no data | — |');
    expect(md).not.toContain('100.00%]');
  });

  it('puts the raw rate against the threshold on the judge scale and the corrected interval against 3.03%, and warns of another serving model', () => {
    const md = renderReport(makeEscalationSummary());
    expect(md).toContain('| 8.00% vs 4.67% | [6.46%, 9.87%] | 6.82% [5.05%, 9.14%] vs 3.03% |');
    expect(md).toContain('| summarize | claude-3-5-haiku-20241022 | gpt-4o-mini | 37 | 4 | 10.81% | [4.28%, 24.72%] |');
  });

  it('puts each chart image first in its section, with escaped alt text and its relative path', () => {
    const md = renderReport(makeEscalationSummary(), {
      images: [
        {
          section: 'Trend',
          file: '2026-11-26-nightly/trend.svg',
          alt: 'Error rate per run for summarize [escalated] and *classify*',
        },
        { section: 'Semantic cache', file: '2026-11-26-nightly/cache-false-hits.svg', alt: 'Cache false hits' },
      ],
    });
    expect(md).toContain(
      '## Trend\n\n![Error rate per run for summarize (escalated) and \\*classify\\*](2026-11-26-nightly/trend.svg)\n\nEach point is one run',
    );
    expect(md).toContain('## Semantic cache\n\n![Cache false hits](2026-11-26-nightly/cache-false-hits.svg)\n');
    expect(renderReport(makeEscalationSummary())).not.toContain('![');
  });

  it('states each decision with its evidence in the class table', () => {
    const md = renderReport(makeEscalationSummary());
    expect(md).toContain('**escalate** → complex (applied) | CUSUM S = 1634 ≥ H = 262');
    expect(md).toContain('| 1634 / 262 |');
    expect(md).toContain('**Verdict:** escalate summarize (standard → complex) [applied], 2 held');
  });

  it('redacts e-mails, phones and keys in failed samples and shows at most three per class', () => {
    const md = renderReport(makeEscalationSummary());
    for (const secret of ['jane.doe@example.com', '555-0199', 'sk-ant-api03', 'sk-proj-123', '9f86d081884c7d65'])
      expect(md).not.toContain(secret);
    expect(md).toContain('[redacted email]');
    expect(md).toContain('[redacted phone]');
    expect(md).toContain('[redacted key]');
    expect(md).not.toContain('a fourth failure');
    expect(md).toContain('… [truncated,');
  });

  it('is deterministic: the same summary renders the same bytes', () => {
    expect(renderReport(makeEscalationSummary())).toBe(renderReport(makeEscalationSummary()));
  });
});
