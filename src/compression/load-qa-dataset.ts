import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { qmsumToItems, squadToItems } from './bundled-datasets.js';
import type { QaDataset, QaItem } from './qa-item.js';
import { parseQaJsonl } from './parse-qa-jsonl.js';

const DATASETS_DIR = fileURLToPath(new URL('../../datasets/', import.meta.url));

/** Bundled QA sets, addressable by name (files under datasets/<name>/ with their SOURCE.md). */
export const BUNDLED_QA_DATASETS: Record<string, () => QaItem[]> = {
  'xquad-en': () => squadToItems(JSON.parse(readFileSync(path.join(DATASETS_DIR, 'xquad-en/xquad.en.json'), 'utf8'))),
  'xquad-zh': () => squadToItems(JSON.parse(readFileSync(path.join(DATASETS_DIR, 'xquad-zh/xquad.zh.json'), 'utf8'))),
  'xquad-th': () => squadToItems(JSON.parse(readFileSync(path.join(DATASETS_DIR, 'xquad-th/xquad.th.json'), 'utf8'))),
  qmsum: () =>
    qmsumToItems(
      readFileSync(path.join(DATASETS_DIR, 'qmsum/test.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim()),
    ),
};

/**
 * Loads a QA dataset by bundled name (`xquad-en`, `xquad-zh`, `xquad-th`, `qmsum`) or as a JSONL file path resolved
 * against `cwd`; `limit` keeps the first N items.
 */
export function loadQaDataset(spec: string, options: { cwd: string; limit?: number }): QaDataset {
  const bundled = Object.hasOwn(BUNDLED_QA_DATASETS, spec) ? BUNDLED_QA_DATASETS[spec] : undefined;
  let items: QaItem[];
  if (bundled) items = bundled();
  else {
    const file = path.resolve(options.cwd, spec);
    if (!existsSync(file)) {
      throw new InputError(
        `--dataset: "${spec}" is neither a bundled set (${Object.keys(BUNDLED_QA_DATASETS).join(', ')}) nor an existing file`,
      );
    }
    items = parseQaJsonl(readFileSync(file, 'utf8'), file);
  }
  return { name: spec, items: options.limit === undefined ? items : items.slice(0, options.limit) };
}
