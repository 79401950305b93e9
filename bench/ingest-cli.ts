// `driftwatch ingest` of N routing events as users run it: peak RSS and wall time of the CLI process
// itself (/usr/bin/time -v), the tree at BENCH_BASE (default: the merge-base with main) beside this
// one, each its compiled CLI (its own `npm run build`, run by the bin with DRIFTWATCH_BIN=dist), on
// PGlite (a folder created and migrated beforehand: the first open runs initdb) and PostgreSQL.
// Run: npx tsx bench/ingest-cli.ts   (BENCH_INGEST_EVENTS=1000000 BENCH_INGEST_ROUNDS=1
// BENCH_INGEST_ENGINES=pglite,postgres)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openPgDb } from '../src/db/pg-db.js';
import { distIsCurrent } from '../bin/source-stamp.js';
import { writeEvents } from './ingest.js';
import { prepareBefore, timeV } from './startup.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function runIngestCliBench(): Promise<string> {
  const n = Number(process.env.BENCH_INGEST_EVENTS ?? 1_000_000);
  const base =
    process.env.BENCH_BASE ??
    execFileSync('git', ['-C', ROOT, 'merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dw-ingest-cli-'));
  const pgUrl = process.env.DRIFTWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dbs: string[] = [];
  try {
    const beforeDir = path.join(tmp, 'before');
    mkdirSync(beforeDir);
    prepareBefore(beforeDir, base, ['scripts', 'tsconfig.json', 'tsconfig.build.json']);
    execFileSync('node', ['scripts/build.mjs'], { cwd: beforeDir, stdio: 'ignore' });
    if (!distIsCurrent(path.join(ROOT, 'src'), path.join(ROOT, 'dist/build-stamp.json')))
      execFileSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
    // the compiled CLI as users run it (the checkout bin would otherwise run src/ through tsx)
    const env = { ...process.env, DRIFTWATCH_BIN: 'dist' };
    const engines = (process.env.BENCH_INGEST_ENGINES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
    const file = path.join(tmp, 'events.jsonl');
    await writeEvents(file, n);
    const bins = { before: path.join(beforeDir, 'bin/driftwatch.js'), after: path.join(ROOT, 'bin/driftwatch.js') };
    const rows: string[] = [];
    const rounds = Number(process.env.BENCH_INGEST_ROUNDS ?? 1);
    for (let round = 0; round < rounds; round++)
      for (const engine of engines) {
        // the order alternates (per engine and round) so a load spike does not always hit the same tree
        const order =
          (round + (engine === 'pglite' ? 0 : 1)) % 2 === 0
            ? (['before', 'after'] as const)
            : (['after', 'before'] as const);
        for (const which of order) {
          let url: string;
          if (engine === 'pglite') {
            url = path.join(tmp, `pglite-${which}-${round}`);
            execFileSync('node', [bins.after, 'migrate', '--db', url], { cwd: tmp, env, stdio: 'ignore' });
          } else {
            const name = `dw_bench_ingest_cli_${which}_${round}_${Date.now()}`;
            const admin = await openPgDb(pgUrl, { max: 1 });
            await admin.exec(`create database ${name}`);
            await admin.close();
            dbs.push(name);
            const u = new URL(pgUrl);
            u.pathname = `/${name}`;
            url = u.toString();
          }
          const m = timeV(['nice', '-n', '5', 'node', bins[which], 'ingest', file, '--db', url, '--quiet'], tmp, env);
          if (m.code !== 0) throw new Error(`${which} ingest on ${engine} exited ${m.code}`);
          // an edit under src/ meanwhile would have made the bin run the source through tsx
          if (!distIsCurrent(path.join(ROOT, 'src'), path.join(ROOT, 'dist/build-stamp.json')))
            throw new Error('src/ changed during the bench, so the bin ran the source: rerun');
          rows.push(
            `| ${engine} | ${which} | ${n.toLocaleString('en-US')} | ${m.wall.toFixed(1)} | ${Math.round(n / m.wall).toLocaleString('en-US')} | ${m.rssMb.toFixed(0)} | ${os
              .loadavg()
              .map((x) => x.toFixed(1))
              .join(' / ')} |`,
          );
        }
      }
    return [
      `## driftwatch ingest (the CLI process itself, /usr/bin/time -v): ${n.toLocaleString('en-US')} routing events, before (${base.slice(0, 7)}) and after, each its compiled CLI (DRIFTWATCH_BIN=dist)`,
      '',
      'Whole-process wall time (start-up included) and peak RSS, each run on a fresh database; the order of the two trees alternates.',
      '',
      '| engine | tree | events | wall s | events/s | peak RSS MB | load 1/5/15 after |',
      '|---|---|---:|---:|---:|---:|---|',
      ...rows,
      '',
    ].join('\n');
  } finally {
    const admin = await openPgDb(pgUrl, { max: 1 }).catch(() => undefined);
    for (const name of dbs) await admin?.exec(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await runIngestCliBench());
