import { z } from 'zod';

/** One line of a QA dataset (CONTRACT "QA dataset"), plus optional extensions. */
export const qaItemSchema = z
  .object({
    id: z.string().min(1),
    context: z.string().min(1),
    question: z.string(),
    /** Accepted gold answers; retention asks whether any survives compression. */
    answers: z.array(z.string().min(1)).min(1),
    /** Task class the item belongs to (ratios are tuned per class). */
    taskClass: z.string().min(1).optional(),
    /** Expected extraction fields, name -> value; the extraction guard checks each survives. */
    fields: z.record(z.string(), z.string().min(1)).optional(),
    /** Gold evidence passages; when present, retention is the share of evidence tokens kept. */
    evidence: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/** A validated QA item. */
export type QaItem = z.infer<typeof qaItemSchema>;

/** A loaded dataset: its name (bundled name or file path) and items in file order. */
export interface QaDataset {
  name: string;
  items: QaItem[];
}
