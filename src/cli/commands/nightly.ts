import path from 'node:path';
import { displayPath } from '../../config/resolve-paths.js';
import { DriftwatchError } from '../../errors.js';
import { judgeClientFor } from '../../judge/providers/create-judge-client.js';
import { createCycleDeps, readRoutingTable } from '../../nightly/cycle-deps.js';
import { renderNightlyText } from '../../nightly/render-nightly-text.js';
import { runCycle } from '../../nightly/run-cycle.js';
import { defineCommand } from '../command.js';
import { renderNightlyTable } from '../render-nightly-table.js';
import { resolveSampleJudgeFlags } from '../resolve-sample-judge-flags.js';
import { nightlySpec } from './nightly-spec.js';

export const nightlyCommand = defineCommand(nightlySpec, async (ctx, values) => {
  // Everything the user can get wrong is checked before the database is opened.
  const loaded = ctx.config();
  const parsed = resolveSampleJudgeFlags(values, loaded.config, { allowBatch: true });
  const flags = { ...parsed, judge: { ...parsed.judge, retryErrors: values.retryErrors } };
  readRoutingTable(loaded); // a bad table is exit 2 before the database opens
  const judgeClient = judgeClientFor(flags.judge, ctx.env);
  const db = await ctx.db(); // opening may finish a routing rewrite a crash interrupted: the cycle reads the table after it
  // a human line per step on a terminal, JSON lines with --json / --log-format json
  const log = (event: string, fields: Record<string, unknown> = {}) =>
    ctx.event ? ctx.event(event, fields) : ctx.log(JSON.stringify({ event, ...fields }));
  const deps = createCycleDeps({ db, loaded, now: ctx.now, log, judgeClient, judgeProgress: ctx.judgeProgress?.() });
  const out = values.out;
  const result = await runCycle(deps, {
    kind: 'nightly',
    apply: values.apply,
    ...flags,
    out: out && path.resolve(ctx.cwd, out),
    actor: 'nightly',
    signal: ctx.signal,
    charts: !values.noCharts,
  });
  if (result.aborted || !result.json)
    throw new DriftwatchError(
      'aborted',
      `nightly run ${result.runId} stopped by a signal between steps; rerun it to finish (nothing is counted twice)`,
    );
  const json = { ...result.json, report: result.reportFile && displayPath(result.reportFile, ctx.cwd) };
  const escalated = values.failOnEscalation && result.escalationDecided;
  const text = ctx.stdoutIsTty && ctx.paint ? renderNightlyTable(json, ctx.paint) : renderNightlyText(json);
  return { json, text, exitCode: escalated ? 3 : 0 };
});
