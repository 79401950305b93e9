// Writes package.json and package-lock.json of the empty pack-smoke project: the repo's lock less its
// dev-only entries plus the tarball, so `npm ci --offline` takes every dependency from the npm cache
// that `npm ci` in the repo filled (entries carry their integrity). Usage: node pack-smoke-lock.cjs LOCK TGZ
const fs = require('node:fs');
const [lockFile, tgz] = process.argv.slice(2);
const repo = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
const spec = `file:${tgz}`;
const own = repo.packages[''];
const packages = { '': { name: 'dw-pack-smoke', version: '1.0.0', dependencies: { driftwatch: spec } } };
packages['node_modules/driftwatch'] = {
  version: own.version,
  resolved: spec,
  license: own.license,
  dependencies: own.dependencies,
  bin: own.bin,
  engines: own.engines,
};
for (const [key, entry] of Object.entries(repo.packages))
  if (key !== '' && !entry.dev && !entry.devOptional) packages[key] = entry;
const manifest = {
  name: 'dw-pack-smoke',
  version: '1.0.0',
  private: true,
  type: 'module',
  dependencies: { driftwatch: spec },
};
fs.writeFileSync('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
fs.writeFileSync(
  'package-lock.json',
  `${JSON.stringify({ name: 'dw-pack-smoke', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
);
