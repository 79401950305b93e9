import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../errors.js';

const priceSchema = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() });
const catalogSchema = z
  .object({
    batchDiscount: z.number().min(0).max(1),
    models: z.record(z.string(), priceSchema),
    aliases: z.record(z.string(), z.string()),
    /** The default reference model per judge provider (see defaultJudgeModel). */
    judgeDefaults: z.object({ anthropic: z.string().min(1), openai: z.string().min(1) }),
  })
  .refine((c) => Object.values(c.judgeDefaults).every((m) => c.models[c.aliases[m] ?? m]), {
    message: 'every judgeDefaults model must have a price in models',
    path: ['judgeDefaults'],
  });

/** USD per 1M input and output tokens. */
export type ModelPrice = z.infer<typeof priceSchema>;
export type PriceCatalog = z.infer<typeof catalogSchema>;

/** The bundled catalog (src/routing/prices.json). */
export const priceCatalog: PriceCatalog = catalogSchema.parse(
  JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')),
);

/** Price of a model id (dated and vendor-prefixed ids resolve through aliases and prefixes); undefined if unknown. */
export function findPrice(model: string, catalog: PriceCatalog = priceCatalog): ModelPrice | undefined {
  const id = catalog.aliases[model] ?? model;
  if (catalog.models[id]) return catalog.models[id];
  // "claude-3-5-haiku-20241022" style: the longest catalog key that prefixes the id
  const key = Object.keys(catalog.models)
    .filter((k) => id.startsWith(`${k}-`) || id.endsWith(`/${k}`))
    .sort((a, b) => b.length - a.length)[0];
  return key ? catalog.models[key] : undefined;
}

/** Like findPrice, but an unknown model is a clear input error. */
export function priceFor(model: string, catalog: PriceCatalog = priceCatalog): ModelPrice {
  const p = findPrice(model, catalog);
  if (!p)
    throw new InputError(
      `no price for model "${model}" in the catalog; known: ${Object.keys(catalog.models).join(', ')}`,
    );
  return p;
}

/** Cost in USD of one call, with the batch discount when `batch`. */
export function callCostUsd(
  model: string,
  inputTokens: number,
  outputTokens: number,
  options: { batch?: boolean; catalog?: PriceCatalog } = {},
): number {
  const catalog = options.catalog ?? priceCatalog;
  const p = priceFor(model, catalog);
  const factor = options.batch ? 1 - catalog.batchDiscount : 1;
  return ((inputTokens * p.input + outputTokens * p.output) / 1_000_000) * factor;
}
