#!/usr/bin/env node
// The installed package runs the compiled dist/. A checkout (src/ beside bin/, tsx installed as a
// devDependency) runs the TypeScript source through tsx, so an edit takes effect without a rebuild.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);

async function loadMain() {
  if (existsSync(source)) {
    const tsx = await import('tsx/esm/api').catch(() => undefined);
    if (tsx) {
      tsx.register();
      return (await import(source.href)).main;
    }
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
