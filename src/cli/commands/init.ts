import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../errors.js';
import { defineCommand } from '../command.js';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

export const initCommand = defineCommand({
  name: 'init',
  summary: 'write driftwatch.yaml and routing.yaml templates (never overwrites)',
  usage: 'driftwatch init',
  options: {},
  noDb: true,
  async run(ctx) {
    const files = ['driftwatch.yaml', 'routing.yaml'];
    const existing = files.filter((f) => existsSync(path.join(ctx.cwd, f)));
    if (existing.length > 0) throw new InputError(`${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''} in ${ctx.cwd}; init never overwrites`);
    for (const f of files) writeFileSync(path.join(ctx.cwd, f), readFileSync(path.join(TEMPLATES, f)), { flag: 'wx' });
    return { json: { written: files }, text: `wrote ${files.join(' and ')}; edit routing.yaml to list your task classes` };
  },
});
