import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.js';

const sideSchema = z
  .object({
    model: z.string().min(1),
    /** Share of requests answered from the semantic cache (0..1). */
    cacheHitRate: z.number().min(0).max(1).default(0),
    /** Sent through a batch API (50% off). */
    batch: z.boolean().default(false),
    /** Average input tokens after prompt compression, if it differs. */
    inputTokens: z.number().nonnegative().optional(),
    /** Counted when set: every request pays one embedding of its input for the cache lookup. */
    embeddingModel: z.string().optional(),
  })
  .strict();

const taskSchema = z
  .object({
    name: z.string().min(1),
    requestsPerDay: z.number().nonnegative(),
    inputTokens: z.number().nonnegative(),
    outputTokens: z.number().nonnegative(),
    before: sideSchema,
    after: sideSchema,
  })
  .strict();

export const workloadSchema = z.object({ tasks: z.array(taskSchema).min(1) }).strict();
export type Workload = z.infer<typeof workloadSchema>;
export type WorkloadTask = z.infer<typeof taskSchema>;
export type WorkloadSide = z.infer<typeof sideSchema>;

/** Reads a workload YAML; errors name the file, line and field. */
export function loadWorkload(file: string): Workload {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read workload ${file}: ${(cause as Error).message}`, { cause });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      `${file}:${doc.errors[0].linePos?.[0].line ?? '?'}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`,
    );
  }
  const r = workloadSchema.safeParse(doc.toJS());
  if (!r.success) {
    const issue = r.error.issues[0];
    const node = doc.getIn(issue.path as (string | number)[], true) as { range?: number[] } | undefined;
    const line = node?.range ? text.slice(0, node.range[0]).split('\n').length : undefined;
    throw new InputError(`${file}${line ? `:${line}` : ''}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return r.data;
}
