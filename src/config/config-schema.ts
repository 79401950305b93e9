import { z } from 'zod';
import { JUDGE_PROVIDERS } from '../judge/judge-providers.js';

const judgeRatesSchema = z.object({ fp: z.number().min(0).lt(0.5), fn: z.number().min(0).lt(0.5) }).strict();

/**
 * driftwatch.yaml. Every section is optional; defaults are the recommended procedure
 * of the escalation-statistics notes. Feature folders read only their section.
 */
export const configSchema = z
  .object({
    /**
     * The routing table: a path (driftwatch's routing.yaml, relative to the config file's folder), or
     * `{ format: litellm, path, tiers }` for a LiteLLM proxy config.yaml whose model_list entries named
     * after task classes are moved between the tier models listed here (cheapest first).
     */
    routingTable: z
      .union([
        z.string(),
        z.strictObject({ format: z.literal('driftwatch'), path: z.string().min(1) }),
        z.strictObject({
          format: z.literal('litellm'),
          path: z.string().min(1),
          /** Tier name -> litellm_params.model, cheapest first. */
          tiers: z
            .record(z.string(), z.string().min(1))
            .refine((t) => Object.keys(t).length > 0, {
              message: 'at least one tier is required (cheapest first, e.g. cheap: openai/gpt-4o-mini)',
            })
            .refine((t) => new Set(Object.values(t)).size === Object.keys(t).length, {
              message: 'two tiers name the same model: a model must tell its tier',
            }),
          /** Task classes driftwatch never moves. */
          pinned: z.array(z.string().min(1)).default([]),
        }),
      ])
      .default('routing.yaml'),
    ingest: z
      .strictObject({
        otlp: z
          .strictObject({
            /** The span (then resource) attribute holding the task class; the span name when absent. */
            taskAttribute: z.string().min(1).default('driftwatch.task_type'),
          })
          .default({ taskAttribute: 'driftwatch.task_type' }),
      })
      .default({ otlp: { taskAttribute: 'driftwatch.task_type' } }),
    sources: z
      .strictObject({
        litellm: z
          .strictObject({
            /** The LiteLLM proxy's PostgreSQL (read only); `--source` overrides it. */
            url: z.string().min(1).optional(),
            /** A request tag `<prefix><class>` names the task class; else the model group. */
            taskTagPrefix: z.string().min(1).default('task:'),
            /** Rows up to this many minutes before the watermark are read again (LiteLLM writes spend logs in batches). */
            lookbackMinutes: z.number().nonnegative().default(60),
          })
          .default({ taskTagPrefix: 'task:', lookbackMinutes: 60 }),
      })
      .default({ litellm: { taskTagPrefix: 'task:', lookbackMinutes: 60 } }),
    /** Folder for markdown reports. */
    reportsDir: z.string().default('reports'),
    sampler: z
      .object({
        /** Flat sampling rate; when unset, sqrt(volume) allocation with a floor is used. */
        rate: z.number().gt(0).max(1).optional(),
        /** Salt of the inclusion hash; change it to draw a different (still deterministic) sample. */
        salt: z.string().default('driftwatch'),
        floorPerDay: z.number().int().nonnegative().default(100),
        sqrtFactor: z.number().positive().default(2.2),
        /** Cache near-misses: lookups with similarity in [threshold - band, threshold). */
        nearMissBand: z.number().min(0).max(1).default(0.05),
      })
      .strict()
      .default({ salt: 'driftwatch', floorPerDay: 100, sqrtFactor: 2.2, nearMissBand: 0.05 }),
    judge: z
      .object({
        provider: z.enum(JUDGE_PROVIDERS).optional(),
        model: z.string().optional(),
        maxCostUsd: z.number().nonnegative().optional(),
        concurrency: z.number().int().positive().default(8),
        /** Comparator per task class for the offline judge (see judge/comparators). */
        comparators: z
          .record(z.string(), z.enum(['exact-label', 'numeric-answer', 'json-fields', 'token-f1', 'cache-answer']))
          .default({}),
        /** Measured error rates of external verdict sources (`verdict` events), by source name; unlisted = the class's judge rates. */
        sources: z.record(z.string(), judgeRatesSchema).default({}),
        /** An empty or missing answer is a failure (default) or unjudgeable (left out of rates and the CUSUM). */
        emptyAnswer: z.enum(['fail', 'unjudgeable']).default('fail'),
      })
      .strict()
      .default({ concurrency: 8, comparators: {}, sources: {}, emptyAnswer: 'fail' }),
    escalation: z
      .object({
        /** Business threshold on the true error rate. */
        maxErrorRate: z.number().gt(0).lt(1).default(0.0303),
        minSamples: z.number().int().positive().default(50),
        /** The judge's calibrated error rates (fp: flags a correct answer, fn: misses an error); perfect by default. */
        judgeErrorRates: judgeRatesSchema.default({ fp: 0, fn: 0 }),
        /** Per-class overrides of judgeErrorRates. */
        classJudgeErrorRates: z.record(z.string(), judgeRatesSchema).default({}),
      })
      .strict()
      .default({ maxErrorRate: 0.0303, minSamples: 50, judgeErrorRates: { fp: 0, fn: 0 }, classJudgeErrorRates: {} }),
    cache: z
      .object({
        threshold: z.number().min(0).max(1).default(0.92),
        thresholds: z.record(z.string(), z.number().min(0).max(1)).default({}),
        noCache: z.array(z.string()).default([]),
        ttlHours: z.number().positive().optional(),
        maxFalseHit: z.number().gt(0).lt(1).default(0.01),
        /**
         * auto = OpenAI (or an OpenAI-compatible OPENAI_BASE_URL) when OPENAI_API_KEY is set, else the
         * offline local model; local = Universal Sentence Encoder lite shipped with the package;
         * lexical = hashed n-grams (no meaning, no model).
         */
        embedder: z.enum(['auto', 'local', 'lexical', 'openai']).default('auto'),
        embeddingModel: z.string().optional(),
        embeddingDims: z.number().int().min(1).max(2000).optional(),
      })
      .strict()
      .default({ threshold: 0.92, thresholds: {}, noCache: [], maxFalseHit: 0.01, embedder: 'auto' }),
    compression: z
      .object({
        /** Target ratio per task class (compressed / original tokens), written by `compression --apply`. */
        ratios: z.record(z.string(), z.number().gt(0).max(1)).default({}),
        maxDropPoints: z.number().nonnegative().default(2),
        /** External compressors over HTTP (LLMLingua-2 style), name -> POST URL; usable as --method NAME. */
        services: z.record(z.string(), z.url()).default({}),
      })
      .strict()
      .default({ ratios: {}, maxDropPoints: 2, services: {} }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
