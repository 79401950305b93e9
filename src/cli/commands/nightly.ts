import path from 'node:path';
import { DriftwatchError } from '../../errors.js';
import { createCycleDeps, judgeClientFor, readRoutingTable } from '../../nightly/cycle-deps.js';
import { renderNightlyTable } from '../render-nightly-table.js';
import { renderNightlyText } from '../../nightly/render-nightly-text.js';
import { parseSampleJudgeFlags, SAMPLE_JUDGE_OPTIONS } from '../parse-nightly-flags.js';
import { displayPath } from '../../config/resolve-paths.js';
import { runCycle } from '../../nightly/run-cycle.js';
import { defineCommand } from '../command.js';

export const nightlyCommand = defineCommand({
  name: 'nightly',
  summary: 'sample, judge, decide per task class (--apply rewrites routing.yaml), record the run and write the report',
  usage:
    'driftwatch nightly [--apply] [--fail-on-escalation] [--rate R] [--judge offline|anthropic|openai] [--model M] [--batch] [--max-cost-usd N] [--retry-errors] [--out FILE] [--no-charts]',
  options: {
    apply: { type: 'boolean' },
    'no-charts': { type: 'boolean' },
    'fail-on-escalation': { type: 'boolean' },
    'retry-errors': { type: 'boolean' },
    out: { type: 'string' },
    ...SAMPLE_JUDGE_OPTIONS,
  },
  async run(ctx, values) {
    // Everything the user can get wrong is checked before the database is opened.
    const loaded = ctx.config();
    const parsed = parseSampleJudgeFlags(values, loaded.config, { allowBatch: true });
    const flags = { ...parsed, judge: { ...parsed.judge, retryErrors: Boolean(values['retry-errors']) } };
    readRoutingTable(loaded); // a bad table is exit 2 before the database opens
    const judgeClient = judgeClientFor(flags.judge, ctx.env);
    const db = await ctx.db(); // opening may finish a routing rewrite a crash interrupted: the cycle reads the table after it
    // a human line per step on a terminal, JSON lines with --json / --log-format json
    const log = (event: string, fields: Record<string, unknown> = {}) =>
      ctx.event ? ctx.event(event, fields) : ctx.log(JSON.stringify({ event, ...fields }));
    const deps = createCycleDeps({ db, loaded, now: ctx.now, log, judgeClient, judgeProgress: ctx.judgeProgress?.() });
    const out = values.out as string | undefined;
    const result = await runCycle(deps, {
      kind: 'nightly',
      apply: Boolean(values.apply),
      ...flags,
      out: out && path.resolve(ctx.cwd, out),
      actor: 'nightly',
      signal: ctx.signal,
      charts: !values['no-charts'],
    });
    if (result.aborted || !result.json)
      throw new DriftwatchError(
        'aborted',
        `nightly run ${result.runId} stopped by a signal between steps; rerun it to finish (nothing is counted twice)`,
      );
    const json = { ...result.json, report: result.reportFile && displayPath(result.reportFile, ctx.cwd) };
    const escalated = Boolean(values['fail-on-escalation']) && result.escalationDecided;
    const text = ctx.stdoutIsTty && ctx.paint ? renderNightlyTable(json, ctx.paint) : renderNightlyText(json);
    return { json, text, exitCode: escalated ? 3 : 0 };
  },
});
