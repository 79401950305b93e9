import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyCacheThresholds } from '../cache/apply-cache-thresholds.js';
import { applyCompressionRatios } from '../compression/apply-compression-ratios.js';
import { needsYamlQuotes, renderYamlString } from './yaml11-safe.js';

const RISKY = [
  'yes',
  'on',
  'no',
  'off',
  'y',
  'n',
  'Y',
  'NO',
  '<<',
  '~',
  'null',
  '',
  '12',
  '1e3',
  '0x1f',
  '1:20',
  '2026-11-26',
  '.inf',
  '=',
  'a b',
  '-x',
];

describe('needsYamlQuotes', () => {
  it.each(RISKY)('quotes %j, and a YAML 1.1 reader reads it back as the same string', (s) => {
    expect(needsYamlQuotes(s)).toBe(true);
    expect(parse(`k: ${renderYamlString(s)}\n${renderYamlString(s)}: v\n`, { version: '1.1' })).toEqual({
      k: s,
      [s]: 'v',
    });
  });

  it.each(['classify', 'summarize_v2', 'intent-detection', 'a.b/c', '_x', 'yesterday', 'online'])(
    'leaves %s plain',
    (s) => {
      expect(needsYamlQuotes(s)).toBe(false);
    },
  );
});

describe('driftwatch.yaml edits', () => {
  const file = () => {
    const f = path.join(mkdtempSync(path.join(tmpdir(), 'dw-y11-')), 'driftwatch.yaml');
    writeFileSync(f, '# my config\ncache: { threshold: 0.92 }\n');
    return f;
  };
  const classes = ['yes', 'on', '<<'];

  it('writes class names as quoted keys into cache.thresholds', () => {
    const f = file();
    applyCacheThresholds(f, Object.fromEntries(classes.map((c) => [c, 0.95])));
    const yaml11 = parse(readFileSync(f, 'utf8'), { version: '1.1' });
    expect(Object.keys(yaml11.cache.thresholds)).toEqual(classes);
    expect(readFileSync(f, 'utf8')).toContain('# my config');
  });

  it('writes class names as quoted keys into compression.ratios', () => {
    const f = file();
    applyCompressionRatios(f, Object.fromEntries(classes.map((c) => [c, 0.5])));
    const yaml11 = parse(readFileSync(f, 'utf8'), { version: '1.1' });
    expect(yaml11.compression.ratios).toEqual({ yes: 0.5, on: 0.5, '<<': 0.5 });
  });
});
