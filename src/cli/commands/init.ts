import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultJudgeModel, type JudgeProvider } from '../../judge/default-judge-model.js';
import { InputError } from '../../errors.js';
import { defineCommand } from '../command.js';

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

export const initCommand = defineCommand({
  name: 'init',
  summary: 'write driftwatch.yaml and routing.yaml templates (never overwrites)',
  usage: 'driftwatch init [--judge anthropic|openai]',
  options: { judge: { type: 'string' } },
  noDb: true,
  async run(ctx, values) {
    const judge = values.judge as string | undefined;
    if (judge !== undefined && judge !== 'anthropic' && judge !== 'openai')
      throw new InputError(
        `--judge expects anthropic or openai (the provider whose default model init writes), got "${judge}"`,
      );
    const files = ['driftwatch.yaml', 'routing.yaml'];
    const existing = files.filter((f) => existsSync(path.join(ctx.cwd, f)));
    if (existing.length > 0)
      throw new InputError(
        `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''} in ${ctx.cwd}; init never overwrites`,
      );
    const content = (f: string) => {
      const raw = readFileSync(path.join(TEMPLATES, f), 'utf8');
      return f === 'driftwatch.yaml' ? renderConfigTemplate(raw, judge as JudgeProvider | undefined) : raw;
    };
    for (const f of files) writeFileSync(path.join(ctx.cwd, f), content(f), { flag: 'wx' });
    const model = judge ? `; judge ${judge} ${defaultJudgeModel(judge as JudgeProvider)}` : '';
    return {
      json: {
        written: files,
        ...(judge ? { judge: { provider: judge, model: defaultJudgeModel(judge as JudgeProvider) } } : {}),
      },
      text: `wrote ${files.join(' and ')}${model}; edit routing.yaml to list your task classes`,
    };
  },
});
