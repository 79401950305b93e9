import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { configSchema, type Config } from './config-schema.js';
import { formatZodIssue } from './format-zod-issue.js';
import { yamlData } from './yaml-data.js';

export interface LoadedConfig {
  config: Config;
  /** The file it came from; undefined when defaults were used. */
  path?: string;
  /** Folder relative paths in the config resolve against. */
  baseDir: string;
}

/** Loads driftwatch.yaml (or `explicitPath`); defaults when the default file is absent. */
export function loadConfig(explicitPath: string | undefined, cwd: string): LoadedConfig {
  const file = path.resolve(cwd, explicitPath ?? 'driftwatch.yaml');
  if (!existsSync(file)) {
    if (explicitPath) throw new ConfigError(`config file ${file} does not exist`);
    return { config: configSchema.parse({}), baseDir: cwd };
  }
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ConfigError(`${file}:${e.linePos?.[0].line ?? '?'}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const data = yamlData(doc, file);
  if (!data.ok) throw new ConfigError(data.message);
  const parsed = configSchema.safeParse(data.value ?? {});
  if (!parsed.success) {
    throw new ConfigError(`${file}: ${formatZodIssue(parsed.error.issues[0])}`);
  }
  return { config: parsed.data, path: file, baseDir: path.dirname(file) };
}
