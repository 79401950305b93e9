// The fourth cost lever as a library: requests from concurrent callers go out as one provider
// batch (half price) and each caller gets its own answer. Needs ANTHROPIC_API_KEY.
import { createBatchQueue, createJudgeClient, loadEnv, migrate, openDb } from '../src/index.js';

// with a database the batch handles are stored: after a restart, queue.resume() collects them
const db = await openDb(process.env.DATABASE_URL || 'memory:');
await migrate(db);
const client = createJudgeClient({
  provider: 'anthropic',
  model: 'claude-3-5-haiku-20241022',
  env: loadEnv(process.env),
});
const queue = createBatchQueue({
  client,
  db,
  flushEveryMs: 30_000,
  maxBatch: 10_000,
});

const questions = ['What is 17 * 3?', 'Name the capital of Peru.', 'How many legs has a spider?'];
const pending = questions.map((q, i) =>
  queue.submit({ customId: `q-${i}`, system: 'Answer in a few words.', prompt: q, maxTokens: 50 }),
);
queue.flush(); // or let the 30 s window close; a real batch then takes minutes to hours
for (const [i, answer] of (await Promise.all(pending)).entries())
  console.log(`${questions[i]} -> ${answer.reply?.text ?? answer.error}`);
await db.close();
