// Import rules for src/ (see ARCHITECTURE.md "Layers"). Run: npx depcruise src
// Each layer may import its own layer's folder and the layers below it, never one above, and
// never a sibling folder of the same rank. Known exceptions are listed by file, each with why;
// a new violation fails `npm test`.

/** Rank of each folder (or single file) of src/; a module may import only strictly lower ranks, or its own folder. */
const LAYERS = [
  // 1: pure kit and boundary parsing, no I/O ports
  { name: 'kit', rank: 1, path: '^src/(errors\\.ts|text/|stats/|config/)' },
  // the file kit: the one atomic writer, lock-file helper and process check (config/ edits driftwatch.yaml with it)
  { name: 'fs-kit', rank: 1, path: '^src/fs/' },
  // the markdown/redaction helpers every renderer uses, and the judge port every judge user takes
  { name: 'render-kit', rank: 1, path: '^src/reports/(markdown|redact-secrets|checksums)\\.ts$' },
  { name: 'judge-port', rank: 1, path: '^src/judge/(judge-client|judge-providers)\\.ts$' },
  // 2: edges: the database and the routing table model / price catalog
  { name: 'db', rank: 2, path: '^src/db/' },
  { name: 'routing', rank: 2, path: '^src/routing/' },
  // 2.5: the run record (runs, class_rates) every feature and the run cycle write through
  { name: 'runs', rank: 2.5, path: '^src/runs/' },
  // 3: features every other feature may build on
  { name: 'ingest', rank: 3, path: '^src/ingest/' },
  { name: 'sampler', rank: 3, path: '^src/sampler/' },
  { name: 'batch', rank: 3, path: '^src/batch/' },
  // 4: features
  { name: 'judge', rank: 4, path: '^src/judge/' },
  { name: 'escalator', rank: 4, path: '^src/escalator/' },
  { name: 'cache', rank: 4, path: '^src/cache/' },
  { name: 'cost', rank: 4, path: '^src/cost/' },
  { name: 'ledger', rank: 4, path: '^src/ledger/' },
  // traffic sources other than driftwatch's JSONL (OTLP spans, LiteLLM spend logs), fed through ingest
  { name: 'sources', rank: 4, path: '^src/sources/' },
  // 5: features that compose level-4 features
  { name: 'compression', rank: 5, path: '^src/compression/' },
  { name: 'reports', rank: 5, path: '^src/reports/' },
  // 6-7: the run cycle and the drivers of it
  { name: 'nightly', rank: 6, path: '^src/nightly/' },
  { name: 'daemon', rank: 7, path: '^src/daemon/' },
  { name: 'demo', rank: 7, path: '^src/demo/' },
  // 8-9: entry points
  { name: 'cli', rank: 8, path: '^src/cli/' },
  { name: 'index', rank: 9, path: '^src/index\\.ts$' },
];

/**
 * Known violations on the tree today (issue 13 item 3): `file` imports a module matching `to`.
 * Each is allowed for that file only. Remove an entry when its import is fixed; never add one without a reason.
 */
const KNOWN_EXCEPTIONS = [
  // cache -> reports: the cache certification summary builds the report's cache section type.
  // Fix: the section type moves to cache/ (reports imports it) or the summary moves to reports/.
  { file: 'src/cache/summarise-cache-certification.ts', to: '^src/reports/report-summary\\.ts$' },
  // stats -> sampler: the weighted-rate coverage simulation draws samples with the sampler's allocator
  // (the seeded PRNG now lives in stats/). Fix: the simulation leaves stats/.
  { file: 'src/stats/weighted-rate-coverage.ts', to: '^src/sampler/(allocate-sample|sample-boost)\\.ts$' },
  // compression -> reports (same rank): the compression report returns its chart series in the type the
  // report's charts draw. Fix: the series types move to a kit folder both import.
  { file: 'src/compression/run-compression-report.ts', to: '^src/reports/charts/report-series\\.ts$' },
  { file: 'src/compression/compression-series.ts', to: '^src/reports/charts/report-series\\.ts$' },
];

/**
 * Known type-only cycles (`import type` back-edges), each allowed only among its own files: a cycle
 * through any other file still fails. Fix: move the shared type into a file of its own.
 */
const KNOWN_CYCLES = [
  // the LiteLLM config parser returns the RoutingTable type that routing-table.ts (which calls it) defines
  ['src/routing/routing-table.ts', 'src/routing/litellm-config.ts'],
  // DemoNight type lives in run-demo.ts, the preface renderer reads it
  ['src/demo/run-demo.ts', 'src/demo/render-demo-preface.ts'],
];

const anchoredPath = (file) => `^${file.replace(/[.]/g, '\\.')}$`;

/** One rule per layer: a module may import lower ranks and its own folder; same rank (another folder) or higher is an error. */
function layerRules() {
  const rules = [];
  for (const layer of LAYERS) {
    const forbidden = LAYERS.filter(
      (o) => o !== layer && (o.rank > layer.rank || (o.rank === layer.rank && layer.rank > 1)),
    ).map((o) => o.path);
    if (forbidden.length === 0) continue;
    // lower-ranked layers (and the own one) stay allowed even where a folder pattern above also matches them
    // (src/judge/judge-client.ts is rank 1 inside judge/, rank 4)
    // rank 1 is one kit: its parts may import each other (config/ reads the judge names of judge/judge-providers.ts)
    const allowed = [
      layer.path,
      ...LAYERS.filter((o) => o.rank < layer.rank || (o.rank === 1 && layer.rank === 1)).map((o) => o.path),
    ];
    const base = {
      severity: 'error',
      comment: `${layer.name} (rank ${layer.rank}) imports only lower ranks or its own folder; see ARCHITECTURE.md`,
    };
    const inLayer = KNOWN_EXCEPTIONS.filter((e) => new RegExp(layer.path).test(e.file));
    rules.push({
      ...base,
      name: `layer-${layer.name}`,
      from: { path: layer.path, pathNot: inLayer.map((e) => anchoredPath(e.file)) },
      to: { path: forbidden, pathNot: allowed },
    });
    for (const e of inLayer) {
      rules.push({
        ...base,
        name: `layer-${layer.name}`,
        from: { path: anchoredPath(e.file) },
        to: { path: forbidden, pathNot: [...allowed, e.to] },
      });
    }
  }
  return rules;
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files, type-only imports included.',
      severity: 'error',
      from: { pathNot: KNOWN_CYCLES.flat().map(escape) },
      to: { circular: true },
    },
    ...KNOWN_CYCLES.flatMap((files) =>
      files.map((file) => ({
        name: 'no-circular',
        comment: `known type-only cycle among ${files.join(', ')}; any other cycle through ${file} fails`,
        severity: 'error',
        from: { path: anchoredPath(file) },
        to: { circular: true, viaSomeNot: files.map(escape) },
      })),
    ),
    {
      name: 'db-drivers-only-in-db',
      comment: 'pg, pgvector and PGlite are imported only in src/db.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/db/' },
      to: { path: 'node_modules/(pg|pgvector|pg-[^/]+|@electric-sql/[^/]+)/' },
    },
    {
      name: 'sdks-only-in-adapters',
      comment:
        'The provider SDKs are imported only by the adapters that exist: src/judge/providers/* and the OpenAI embedder (and its factory, which constructs the client).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/judge/providers/', '^src/cache/(openai-embedder|create-embedder)\\.ts$'] },
      to: { path: 'node_modules/(@anthropic-ai/sdk|openai)/' },
    },
    {
      name: 'no-index-imports',
      comment: 'src/index.ts is the public surface; nothing inside src imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'no-test-support-in-src',
      comment: 'Shipped code never imports test support (test/support, test/fixtures): tests import it, not src.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'unranked-folder',
      comment: 'Every module of src/ belongs to a layer: give a new folder its rank in LAYERS (and ARCHITECTURE.md).',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map((l) => l.path) },
      to: {},
    },
    ...layerRules(),
  ],
  options: {
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // tests may cross layers (an e2e of nightly seeds the db); the rules are for shipped code
    exclude: { path: ['\\.test\\.ts$'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    skipAnalysisNotInRules: false,
  },
};
