/** The environment driftwatch reads, parsed once at the CLI edge. Keys never leave this object. */
export interface Env {
  databaseUrl?: string;
  /** The LiteLLM proxy's PostgreSQL for `pull litellm` (a URL with a password belongs here, not in driftwatch.yaml). */
  litellmDatabaseUrl?: string;
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  isTty: boolean;
}

export function loadEnv(source: NodeJS.ProcessEnv, isTty = false): Env {
  const v = (k: string) => (source[k] && source[k]!.trim() !== '' ? source[k] : undefined);
  return {
    databaseUrl: v('DATABASE_URL'),
    litellmDatabaseUrl: v('LITELLM_DATABASE_URL'),
    anthropicApiKey: v('ANTHROPIC_API_KEY'),
    anthropicBaseUrl: v('ANTHROPIC_BASE_URL'),
    openaiApiKey: v('OPENAI_API_KEY'),
    openaiBaseUrl: v('OPENAI_BASE_URL'),
    isTty,
  };
}
