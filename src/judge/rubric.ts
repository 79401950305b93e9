import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { formatZodIssue } from '../config/format-zod-issue.js';
import { ConfigError } from '../errors.js';

/** The rubrics the judge ships with (evals/rubrics/<name>.yaml). */
export type RubricName = 'routing-agreement' | 'cache-hit-validity' | 'pairwise-preference';

export const RUBRICS_DIR = fileURLToPath(new URL('../../evals/rubrics/', import.meta.url));

// single: one answer against a reference, replies {"verdict"}; pairwise: two answers, replies {"winner"}
const PLACEHOLDERS = {
  single: ['{{input}}', '{{candidate}}', '{{reference}}'],
  pairwise: ['{{input}}', '{{first}}', '{{second}}'],
} as const;
const ASKS = { single: 'verdict', pairwise: 'winner' } as const;

const rubricSchema = z
  .object({
    name: z.string().min(1),
    kind: z.enum(['single', 'pairwise']).default('single'),
    description: z.string(),
    maxTokens: z.number().int().positive().max(4096),
    system: z.string().min(1),
    template: z.string(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const need = PLACEHOLDERS[r.kind];
    if (!need.every((p) => r.template.includes(p)))
      ctx.addIssue({
        code: 'custom',
        path: ['template'],
        message: `a ${r.kind} template must contain ${need.join(', ')}`,
      });
    if (!r.template.includes(ASKS[r.kind]))
      ctx.addIssue({
        code: 'custom',
        path: ['template'],
        message: `a ${r.kind} template must ask for a "${ASKS[r.kind]}"`,
      });
  });

/**
 * A judging rubric: system prompt, template, output budget. `single` templates hold {{input}},
 * {{candidate}}, {{reference}}; `pairwise` ones {{input}}, {{first}}, {{second}} (answers A and B).
 */
export type Rubric = z.infer<typeof rubricSchema>;

const cache = new Map<string, Rubric>();

/** Loads and validates a rubric YAML file; errors name the file, line and field. */
export function loadRubric(name: RubricName | string, dir: string = RUBRICS_DIR): Rubric {
  const file = `${dir.replace(/\/$/, '')}/${name}.yaml`;
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`rubric ${file} could not be read: ${(cause as Error).message}`, { cause });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      `${file}:${doc.errors[0].linePos?.[0].line ?? '?'}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`,
    );
  const parsed = rubricSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new ConfigError(`${file}: ${formatZodIssue(parsed.error.issues[0])}`);
  cache.set(file, parsed.data);
  return parsed.data;
}
