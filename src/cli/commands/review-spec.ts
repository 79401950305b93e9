import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

export const reviewSpec = defineSpec({
  name: 'review',
  summary: 'export judge flags and passes for human labelling, or import the labels (fp-hat, fn-hat)',
  opensDb: true,
  flags: {
    task: flag.string('export: the task class to review', {
      placeholder: 'CLASS',
      defaultText: 'none (export needs it)',
    }),
    out: flag.string('export: the file to write', { placeholder: 'FILE', defaultText: 'none (export needs it)' }),
    format: flag.choice('export: the file format', ['csv', 'md'], {
      defaultText: 'md when --out ends in .md, else csv',
    }),
    flags: flag.number('export: at most this many judge flags', { min: 0, integer: true, default: 100 }),
    passes: flag.number('export: at most this many judge passes', { min: 0, integer: true, default: 200 }),
    import: flag.string('import the labelled file instead of exporting', {
      placeholder: 'FILE',
      defaultText: 'none (export)',
    }),
  },
});
