import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDemoVolumes, runDemo } from '../../demo/run-demo.js';
import { defineCommand } from '../command.js';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'replay nights of recorded LLM traffic on the embedded database and write a report',
  usage: 'driftwatch demo [--nights N] [--json]',
  options: { nights: { type: 'string' } },
  noDb: true,
  async run(ctx, values) {
    const nights = values.nights ? Number(values.nights) : undefined;
    const { summary, db } = await runDemo({ cwd: ctx.cwd, nights, now: ctx.now(), log: ctx.log });
    await db.close();
    const date = ctx.now().toISOString().slice(0, 10);
    const report = path.join('reports', `${date}-demo.md`);
    const md = [`# driftwatch demo, ${date}`, '', `${summary.nights.length} nights of recorded traffic replayed into ${summary.dir}.`, '', renderDemoVolumes(summary), ''].join('\n');
    mkdirSync(path.join(ctx.cwd, 'reports'), { recursive: true });
    writeFileSync(path.join(ctx.cwd, `${report}.tmp`), md);
    renameSync(path.join(ctx.cwd, `${report}.tmp`), path.join(ctx.cwd, report));
    return { json: { report, nights: summary.nights, volumes: summary.volumes }, text: `report written to ${report}` };
  },
});
