import type { Env } from '../../config/load-env.js';
import { ConfigError } from '../../errors.js';
import { resolveJudgeModel } from '../default-judge-model.js';
import type { JudgeClient } from '../judge-client.js';
import { capRetryAfter } from './cap-retry-after.js';
import { createLazyJudgeClient } from './lazy-judge-client.js';
import { createAttemptMeter } from './meter-attempts.js';

/** Which provider and model, the Env holding keys and base URLs, and the retry policy. */
export interface CreateJudgeClientOptions {
  provider: 'anthropic' | 'openai';
  /** The reference model; absent = the provider's default from the price catalog (resolveJudgeModel). */
  model?: string;
  env: Env;
  /** SDK retries per call (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout (default 60 s). */
  timeoutMs?: number;
  /** Longest retry-after wait honoured inside a call (default 30 s); longer = fail now, retry next run. */
  maxRetryWaitMs?: number;
  /** Underlying fetch (tests and proxies); wrapped by the retry-after cap. */
  fetch?: typeof fetch;
}

// The SDKs' own defaults when no base URL is set (what their clients report as baseURL).
const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * Builds the official SDK client for `provider` from Env and wraps it as a JudgeClient. A missing
 * key fails here; the SDK itself (hundreds of milliseconds to import) loads on the first call.
 */
export function createJudgeClient(options: CreateJudgeClientOptions): JudgeClient {
  const o = { ...options, model: resolveJudgeModel(options.provider, options.model).model };
  const meter = createAttemptMeter();
  const common = {
    maxRetries: o.maxRetries ?? 2,
    timeout: o.timeoutMs ?? 60_000,
    fetch: meter.wrap(capRetryAfter(o.maxRetryWaitMs ?? 30_000, o.fetch ?? fetch)),
    // ANTHROPIC_LOG / OPENAI_LOG still set the level; the lines go to stderr so --json stdout stays one object
    logger: STDERR_LOGGER,
  };
  if (o.provider === 'anthropic') {
    const apiKey = o.env.anthropicApiKey;
    if (!apiKey)
      throw new ConfigError(
        `judge provider "anthropic" needs ANTHROPIC_API_KEY in the environment (model ${o.model}); set it or use --provider offline`,
      );
    const baseUrl = o.env.anthropicBaseUrl ?? ANTHROPIC_BASE_URL;
    return createLazyJudgeClient({ provider: 'anthropic', model: o.model, baseUrl }, async () => {
      const [{ default: Anthropic }, { createAnthropicJudgeClient }] = await Promise.all([
        import('@anthropic-ai/sdk'),
        import('./anthropic-judge-client.js'),
      ]);
      const client = new Anthropic({ apiKey, baseURL: baseUrl, ...common });
      return createAnthropicJudgeClient({ client, model: o.model, secrets: [apiKey], meter });
    });
  }
  const apiKey = o.env.openaiApiKey;
  if (!apiKey)
    throw new ConfigError(
      `judge provider "openai" needs OPENAI_API_KEY in the environment (model ${o.model}); set it or use --provider offline`,
    );
  const baseUrl = o.env.openaiBaseUrl ?? OPENAI_BASE_URL;
  // OpenAI-compatible servers (vLLM, Together, ...) mostly know max_tokens only
  const maxTokensField =
    o.env.openaiBaseUrl && !o.env.openaiBaseUrl.includes('api.openai.com') ? 'max_tokens' : 'max_completion_tokens';
  return createLazyJudgeClient({ provider: 'openai', model: o.model, baseUrl }, async () => {
    const [{ default: OpenAI }, { createOpenAiJudgeClient }] = await Promise.all([
      import('openai'),
      import('./openai-judge-client.js'),
    ]);
    const client = new OpenAI({ apiKey, baseURL: baseUrl, ...common });
    return createOpenAiJudgeClient({ client, model: o.model, maxTokensField, secrets: [apiKey], meter });
  });
}

/** The SDKs' logger interface, every level on stderr (their default console logger prints debug and info to stdout). */
const STDERR_LOGGER = {
  error: (message: string, ...rest: unknown[]) => console.error(message, ...rest),
  warn: (message: string, ...rest: unknown[]) => console.error(message, ...rest),
  info: (message: string, ...rest: unknown[]) => console.error(message, ...rest),
  debug: (message: string, ...rest: unknown[]) => console.error(message, ...rest),
};
