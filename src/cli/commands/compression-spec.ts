import { ANSWER_METRICS, OFFLINE_METRICS } from '../../compression/compression-metric.js';
import { InputError } from '../../errors.js';
import { defineSpec } from '../command.js';
import { flag } from '../flag.js';
import { judgeFlags } from '../shared-flags.js';

function parseRatios(raw: string, name: string): number[] {
  const ratios = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (ratios.length === 0 || ratios.some((r) => !(r > 0 && r <= 1)))
    throw new InputError(`${name} expects a comma-separated list of ratios in (0, 1], e.g. 0.3,0.5,0.7; got "${raw}"`);
  return [...new Set(ratios)].sort((a, b) => a - b);
}

export const compressionSpec = defineSpec({
  name: 'compression',
  summary:
    'answer quality of prompt compressors per ratio over a QA set (a metric that applies to it), and the ratio to use per task class',
  opensDb: false,
  flags: {
    dataset: flag.string('the QA set: xquad-en, xquad-zh, xquad-th, qmsum or a JSONL file', {
      placeholder: 'NAME|FILE',
      default: 'xquad-en',
    }),
    ratios: flag.custom('compression ratios to try, comma-separated, each in (0, 1]', {
      placeholder: 'LIST',
      parse: parseRatios,
      default: [0.3, 0.5, 0.7, 0.9],
      show: (v: number[]) => v.join(','),
    }),
    method: flag.list('compressors, comma-separated: tfidf, structural, dedup, tfidf+dedup or a configured service', {
      placeholder: 'LIST',
      defaultText: 'every built-in compressor',
    }),
    metric: flag.choice(
      'what a result is scored by (exact-match and token-f1 need --judge)',
      [...OFFLINE_METRICS, ...ANSWER_METRICS],
      { defaultText: 'the first that applies to the set' },
    ),
    maxDrop: flag.number('accepted drop of the metric, in percentage points', {
      placeholder: 'PP',
      min: 0,
      max: 100,
      defaultText: 'compression.maxDropPoints in driftwatch.yaml',
    }),
    task: flag.string('the task class the recommendation is for', { placeholder: 'CLASS', defaultText: 'every class' }),
    apply: flag.boolean('write the recommended ratios into compression.ratios in driftwatch.yaml'),
    limit: flag.number('use at most this many items of the set', { min: 1, integer: true, defaultText: 'every item' }),
    ...judgeFlags,
  },
});
