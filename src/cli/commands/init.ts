import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultJudgeModel } from '../../judge/default-judge-model.js';
import type { JudgeProvider } from '../../judge/judge-providers.js';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import { defineCommand } from '../command.js';
import { initSpec } from './init-spec.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

/**
 * driftwatch.yaml from its template with the catalog's default reference models filled in; with a
 * provider, its `provider:` and `model:` lines are written active instead of commented.
 */
export function renderConfigTemplate(template: string, provider?: JudgeProvider): string {
  let text = template.replace(/\{\{(anthropic|openai)Model\}\}/g, (_, p: JudgeProvider) => defaultJudgeModel(p));
  if (provider) {
    text = text
      .replace(
        /^ {2}# provider: anthropic( +)#/m,
        (_, pad: string) => `  provider: ${provider}${' '.repeat(Math.max(1, pad.length + 11 - provider.length))}#`,
      )
      .replace(/^ {2}# model: \S+( +)#/m, () => `  model: ${defaultJudgeModel(provider)}   #`);
  }
  return text;
}

const FILES = ['driftwatch.yaml', 'routing.yaml'] as const;
type InitFile = (typeof FILES)[number];

/** What to do after init, in the order a new user needs it. */
function nextSteps(judge: JudgeProvider | undefined): string[] {
  return [
    'edit routing.yaml: the model of each tier, and one entry per task class under taskClasses',
    'log events (README "Bring your traffic"), then load them: driftwatch ingest events.jsonl (or ingest --format otlp, or pull litellm)',
    ...(judge ? [`set ${judge === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY'} for the ${judge} judge`] : []),
    'driftwatch nightly: sample, judge and decide (prints the diff; --apply writes routing.yaml)',
  ];
}

/** Which files init writes, keeps and replaces; throws when there is nothing it may do. */
function plan(cwd: string, judge: JudgeProvider | undefined, force: boolean) {
  const present = FILES.filter((f) => existsSync(path.join(cwd, f)));
  const write = force ? [...FILES] : FILES.filter((f) => !present.includes(f));
  const kept = force ? [] : present;
  if (write.length === 0)
    throw new InputError(
      `driftwatch.yaml and routing.yaml already exist in ${cwd}; nothing written (init --force overwrites them)`,
    );
  if (judge && kept.includes('driftwatch.yaml'))
    throw new InputError(
      `--judge ${judge}: driftwatch.yaml already exists and init keeps it; set judge.provider there, or rerun with --force to overwrite it`,
    );
  return { write, kept, replaced: force ? present : [] };
}

function renderText(p: { write: InitFile[]; kept: InitFile[]; replaced: InitFile[] }, judge?: JudgeProvider): string {
  const and = (fs: string[]) => fs.join(' and ');
  const model = judge ? ` (judge ${judge} ${defaultJudgeModel(judge)})` : '';
  return [
    `wrote ${and(p.write)}${model}`,
    ...(p.replaced.length ? [`replaced ${and(p.replaced)} (--force)`] : []),
    ...(p.kept.length ? [`kept ${and(p.kept)}: it already exists (init --force overwrites)`] : []),
    '',
    'Next steps:',
    ...nextSteps(judge).map((s, i) => `  ${i + 1}. ${s}`),
  ].join('\n');
}

export const initCommand = defineCommand(initSpec, async (ctx, { judge, force }) => {
  const p = plan(ctx.cwd, judge, force);
  // every file rendered before the first is written
  const files = p.write.map((f) => {
    const raw = readFileSync(path.join(TEMPLATES, f), 'utf8');
    return { file: path.join(ctx.cwd, f), text: f === 'driftwatch.yaml' ? renderConfigTemplate(raw, judge) : raw };
  });
  for (const { file, text } of files) {
    if (force) writeFileAtomic(file, text);
    else writeFileSync(file, text, { flag: 'wx' }); // a file that appeared meanwhile is not overwritten
  }
  return {
    json: {
      written: p.write,
      kept: p.kept,
      replaced: p.replaced,
      ...(judge ? { judge: { provider: judge, model: defaultJudgeModel(judge) } } : {}),
      nextSteps: nextSteps(judge),
    },
    text: renderText(p, judge),
  };
});
