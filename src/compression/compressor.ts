/** Options a compressor receives; `targetRatio` is compressed / original tokens (0.3 keeps 30%). */
export interface CompressOptions {
  question?: string;
  targetRatio?: number;
}

/** What a compressor returns; ratios and counts are in o200k tokens (routing/count-tokens). */
export interface CompressionResult {
  text: string;
  achievedRatio: number;
  originalTokens: number;
  compressedTokens: number;
}

/**
 * A context compressor. `targetsRatio` is false for compressors that reach whatever ratio the
 * text allows (dedup); `usesQuestion` false lets callers reuse one result for every question
 * over the same context. External compressors (an HTTP service) implement the same shape.
 */
export interface Compressor {
  readonly name: string;
  readonly targetsRatio: boolean;
  readonly usesQuestion: boolean;
  compress(context: string, options?: CompressOptions): CompressionResult | Promise<CompressionResult>;
}
