import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import { renderReview, selectReviewItems } from '../../judge/review/export-review.js';
import { importReview } from '../../judge/review/import-review.js';
import { defineCommand } from '../command.js';
import { reviewSpec } from './review-spec.js';
import { formatPercent } from '../../text/format-percent.js';

const pct = (x: number | null) => formatPercent(x, 2, 'n/a');

export const reviewCommand = defineCommand(reviewSpec, async (ctx, values) => {
  if (values.import !== undefined) {
    const file = path.resolve(ctx.cwd, values.import);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new InputError(`--import: cannot read ${file}: ${(e as Error).message}`);
    }
    const classes = await importReview(await ctx.db(), file, text);
    const lines = classes.map(
      (c) =>
        `  ${c.taskType}: flag rate ${pct(c.flagRate)} over ${c.judged}; ${c.confirmedFlags}/${c.reviewedFlags} flags real, ${c.missedErrors}/${c.reviewedPasses} passes wrong -> fp ${pct(c.fp)}, fn ${pct(c.fn)}, true rate ${pct(c.p)}`,
    );
    return { json: { imported: classes }, text: ['imported review labels:', ...lines].join('\n') };
  }
  if (!values.task || !values.out) throw new InputError('review needs --task T --out FILE (export) or --import FILE');
  const format = values.format ?? (values.out.endsWith('.md') ? 'md' : 'csv');
  const items = await selectReviewItems(await ctx.db(), {
    taskType: values.task,
    flags: values.flags,
    passes: values.passes,
  });
  if (items.length === 0) throw new InputError(`--task ${values.task}: no judged samples of that class to review`);
  const out = path.resolve(ctx.cwd, values.out);
  writeFileAtomic(out, renderReview(items, format));
  const flags = items.filter((i) => i.judgeVerdict === 'fail').length;
  return {
    json: { out, flags, passes: items.length - flags, format },
    text: `wrote ${out}: ${flags} judge flags and ${items.length - flags} passes to label (correct | error)`,
  };
});
