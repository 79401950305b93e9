import { cannedAnswer, loadBanking77 } from '../../src/cache/banking77.js';
import type { Db } from '../../src/db/db.js';

/**
 * Writes Banking77 as routing history for cache-warm: train queries answered by the premium model
 * `days + 20` days ago, test queries answered by the cheap model within the last `days` days, with
 * reference = the canned answer of the true intent. Answers are placeholders keyed by intent.
 */
export async function seedBanking77History(
  db: Db,
  o: { now: Date; days: number; premium: string; trainPerIntent?: number; testStride?: number },
): Promise<{ train: number; test: number }> {
  const d = loadBanking77();
  const perIntent = new Map<string, number>();
  const train = d.train.filter(
    (q) => perIntent.set(q.intent, (perIntent.get(q.intent) ?? 0) + 1).get(q.intent)! <= (o.trainPerIntent ?? Infinity),
  );
  const test = d.test.filter((_, i) => i % (o.testStride ?? 1) === 0);
  const day = 86_400_000;
  const rows = [
    ...train.map((q, i) => ({
      id: `b77-train-${i}`,
      ts: new Date(o.now.getTime() - (o.days + 20) * day + i * 1000),
      model: o.premium,
      q,
    })),
    ...test.map((q, i) => ({
      id: `b77-test-${i}`,
      ts: new Date(o.now.getTime() - o.days * day * 0.9 + i * 1000),
      model: 'gpt-4o-mini',
      q,
    })),
  ];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db.query(
      `insert into routing_events (id, ts, task_type, model, prompt, response, reference)
       select * from unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [
        chunk.map((r) => r.id),
        chunk.map((r) => r.ts),
        chunk.map(() => 'banking77_support'),
        chunk.map((r) => r.model),
        chunk.map((r) => r.q.text),
        chunk.map((r) => cannedAnswer(r.q.intent)),
        chunk.map((r) => cannedAnswer(r.q.intent)),
      ],
    );
  }
  return { train: train.length, test: test.length };
}
