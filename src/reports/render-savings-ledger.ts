import type { SavingsLedger } from '../ledger/compute-savings-ledger.js';
import { cell, table, usd } from './markdown.js';

/** Dollars with a sign; float dust (a difference of equal sums) shows as $0.00. */
function money(x: number): string {
  if (Math.abs(x) < 1e-9) return usd(0);
  return x < 0 ? `−${usd(-x)}` : usd(x);
}

/** The ledger as a report section. */
export function renderSavingsLedger(l: SavingsLedger): string {
  const rows = l.classes.map((c) => [
    cell(c.taskType),
    String(c.requests),
    String(c.pricedRequests),
    cell(c.models.join(', ') || '—'),
    money(c.actualUsd),
    money(c.allPremiumUsd),
    money(c.routingSavingUsd),
    String(c.cacheHits),
    money(c.cacheSavingUsd),
  ]);
  const body = table(
    [
      'class',
      'requests',
      'priced',
      'served by',
      'cost as routed',
      `all on ${cell(l.premiumModel)}`,
      'routing saving',
      'cache hits',
      'cache saving',
    ],
    rows,
    ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
  const lines = [
    `What the events this run read cost as routed, against the same tokens on the top tier's model (${cell(l.premiumModel)}), and what auditing them cost.`,
    '',
    body,
    '',
    table(
      ['', ''],
      [
        ['routing saving', money(l.routingSavingUsd)],
        ["cache saving (hits × the class's average priced request)", money(l.cacheSavingUsd)],
        ['audit: judge spend this run', money(-l.auditUsd.judge)],
        ['audit: shadow runs of escalated classes', money(-l.auditUsd.shadow)],
        ['**net saving**', `**${money(l.netSavingUsd)}**`],
      ],
    ),
    '',
    'Priced are requests with both token counts: a recorded `costUsd` as given, otherwise the catalog price of the model that answered.' +
      (l.unpricedRequests || l.unpricedCacheHits
        ? ` Not priced: ${l.unpricedRequests} request(s) without token counts or catalog price, ${l.unpricedCacheHits} cache hit(s) of classes without a priced request.`
        : '') +
      ' Compression and batch savings do not show in events; `driftwatch cost --workload` plans them.',
  ];
  return lines.join('\n');
}
