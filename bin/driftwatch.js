#!/usr/bin/env node
// Runs the compiled dist/ (no TypeScript compiled at start). The installed package has only dist/.
// In a checkout, dist/ runs while it is a build of src/ as it is now (`npm ci` and `npm run build` make
// one, dist/build-stamp.json); once a file under src/ changes, the source runs through tsx (a
// devDependency) until the next build, so an edit takes effect without a rebuild.
// DRIFTWATCH_BIN=source runs the source whatever dist/ holds; DRIFTWATCH_BIN=dist runs dist/ as built.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const source = new URL('src/cli/main.ts', root);
// the CLI bundled from dist/ (scripts/bundle-cli.mjs); dist/cli/ itself if a build has no bundle
const bundle = new URL('dist/cli-bundle/main.js', root);
const compiled = existsSync(bundle) ? bundle : new URL('dist/cli/main.js', root);

// Node >= 22.1 keeps compiled code between runs (Node 20 has no such cache).
module.enableCompileCache?.();

async function runSource() {
  const tsx = await import('tsx/esm/api').catch(() => undefined);
  if (!tsx) return undefined;
  tsx.register();
  return (await import(source.href)).main;
}

/** In a checkout: whether src/ runs (through tsx) instead of dist/. */
async function sourceWanted() {
  const choice = process.env.DRIFTWATCH_BIN;
  if (choice === 'source' || choice === 'dist') return choice === 'source';
  if (!existsSync(compiled)) return true;
  const { distIsCurrent } = await import('./source-stamp.js');
  return !distIsCurrent(fileURLToPath(new URL('src', root)), fileURLToPath(new URL('dist/build-stamp.json', root)));
}

async function loadMain() {
  if (existsSync(source) && (await sourceWanted())) {
    const main = await runSource();
    if (main) return main;
  }
  if (!existsSync(compiled)) return undefined;
  return (await import(compiled.href)).main;
}

const main = await loadMain();
if (main) {
  process.exitCode = await main(process.argv.slice(2));
} else {
  process.stderr.write(
    'driftwatch: dist/ is missing (no build, and no tsx to run the source); run `npm ci` or `npm run build` in the checkout\n',
  );
  process.exitCode = 1;
}
