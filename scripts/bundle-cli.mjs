// Bundles the CLI's compiled dist/ into dist/cli-bundle/ (one file per lazily loaded part, so a
// command still loads only its own code): fewer, smaller files to read and compile at every start.
// Pure-JavaScript dependencies the start-up path needs are bundled and tree-shaken; the rest (SDKs,
// drivers with WASM or data files (PGlite), natural, the tokenizer, vega) stay external, loaded from
// node_modules on first use. Each module's import.meta.url is replaced by the URL of its dist/ file,
// so files found beside a module (migrations, templates, datasets, prices.json) resolve as in dist/.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const BUNDLED = new Set([
  'zod',
  'yaml',
  'p-limit',
  'yocto-queue',
  'csv-parse',
  'pg',
  'pg-pool',
  'pg-protocol',
  'pg-types',
  'pg-connection-string',
  'pgpass',
  'split2',
  'postgres-array',
  'postgres-bytea',
  'postgres-date',
  'postgres-interval',
  'pg-int8',
  'xtend',
]);
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/** Builds dist/cli-bundle/main.js from dist/cli/main.js (esbuild from the devDependencies). */
export async function bundleCli(root) {
  const esbuild = await import(pathToFileURL(createRequire(path.join(root, 'package.json')).resolve('esbuild')).href);
  const dist = path.join(root, 'dist');
  const outdir = path.join(dist, 'cli-bundle');
  const moduleUrl = {
    name: 'dist-module-url',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('node:') || !BUNDLED.has(packageOf(args.path))
          ? { path: args.path, external: true }
          : undefined,
      );
      build.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(dist + path.sep)) return undefined;
        const src = readFileSync(args.path, 'utf8');
        if (!src.includes('import.meta.url')) return undefined;
        const rel = path.relative(outdir, args.path).split(path.sep).join('/');
        return {
          contents: src.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
          loader: 'js',
        };
      });
    },
  };
  await esbuild.build({
    entryPoints: [path.join(dist, 'cli/main.js')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    // class and function names survive minification (error names are part of messages and checks)
    keepNames: true,
    legalComments: 'none',
    logLevel: 'error',
    // the bundled CommonJS packages (pg, yaml) call require()
    banner: {
      js: "import { createRequire as __dwRequire } from 'node:module'; const require = __dwRequire(import.meta.url);",
    },
    plugins: [moduleUrl],
  });
}
