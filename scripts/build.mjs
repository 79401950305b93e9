// Compiles src/ to dist/ (JavaScript + type declarations) for the published package, and bundles the
// CLI from it (scripts/bundle-cli.mjs); run by
// `prepare` (so `npm ci` in a clone builds it) and `prepack` (so `npm pack` ships a clean build).
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildStamp } from '../bin/source-stamp.js';
import { bundleCli } from './bundle-cli.mjs';

const root = path.resolve(import.meta.dirname, '..');
// npm pack/publish run prepack and then prepare: build once, in prepack
if (process.env.npm_lifecycle_event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? ''))
  process.exit(0);

const tsPackage = createRequire(import.meta.url).resolve('typescript/package.json');
const tsc = path.join(path.dirname(tsPackage), 'bin', 'tsc');
// taken before compiling: a file edited during the build is newer than the stamp, so the bin runs the source
const stamp = buildStamp(path.join(root, 'src'));
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
// data files read beside their module (new URL('./x', import.meta.url)); tsc copies only .ts output
for (const f of ['routing/prices.json']) copyFileSync(path.join(root, 'src', f), path.join(root, 'dist', f));
// the CLI's start-up path as a few minified chunks (dist/cli-bundle/), which the bin runs
await bundleCli(root);
// the bin runs dist/ in a checkout while no file under src/ is newer than this (bin/source-stamp.js)
writeFileSync(path.join(root, 'dist', 'build-stamp.json'), `${JSON.stringify(stamp)}\n`);
