import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors.js';
import { applyCompressionRatios } from './apply-compression-ratios.js';

const original = `# driftwatch settings (kept across rewrites)
sampler:
  rate: 0.05 # five percent
compression:
  # per task class, set by driftwatch compression --apply
  ratios:
    summarize: 0.5 # tuned last week
  maxDropPoints: 2
`;

const tempFile = (text?: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-compression-'));
  const file = path.join(dir, 'driftwatch.yaml');
  if (text !== undefined) writeFileSync(file, text);
  return { dir, file };
};

describe('applyCompressionRatios', () => {
  it('writes compression.ratios, keeps comments and order, and reports the changes', () => {
    const { dir, file } = tempFile(original);
    const changes = applyCompressionRatios(file, { summarize: 0.7, qa: 0.5 });
    expect(changes).toEqual([
      { taskClass: 'summarize', from: 0.5, to: 0.7 },
      { taskClass: 'qa', to: 0.5 },
    ]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# driftwatch settings (kept across rewrites)');
    expect(text).toContain('rate: 0.05 # five percent');
    expect(text).toContain('# per task class, set by driftwatch compression --apply');
    expect(text).toContain('summarize: 0.7 # tuned last week');
    expect(loadConfig(file, dir).config.compression.ratios).toEqual({ summarize: 0.7, qa: 0.5 });
    expect(readdirSync(dir)).toEqual(['driftwatch.yaml']);
  });

  it('is a no-op when nothing changes', () => {
    const { file } = tempFile(original);
    expect(applyCompressionRatios(file, { summarize: 0.5 })).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('creates the file when absent', () => {
    const { dir, file } = tempFile();
    applyCompressionRatios(file, { qa: 0.9 });
    expect(loadConfig(file, dir).config.compression.ratios).toEqual({ qa: 0.9 });
  });

  it('never writes an invalid config', () => {
    const { file } = tempFile(original);
    expect(() => applyCompressionRatios(file, { qa: 1.5 })).toThrow(ConfigError);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
});
