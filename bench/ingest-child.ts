// Child process for bench/ingest.ts: ingests one file into one database and prints JSON stats.
import { openDb } from '../src/db/open-db.js';
import { migrate } from '../src/db/migrate.js';
import { ingestFile } from '../src/ingest/ingest-file.js';

const [file, url] = process.argv.slice(2);
const db = await openDb(url);
await migrate(db);
if (file === '--init') {
  // First open of a PGlite folder runs initdb (a one-off ~850 MB peak); measure ingest on an existing database.
  await db.close();
  process.exit(0);
}
let peak = 0;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
const t0 = performance.now();
const counts = await ingestFile(db, file);
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
await db.close();
peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
console.log(JSON.stringify({ counts, seconds, eventsPerSecond: counts.routing / seconds, peakRssMb: peak / 2 ** 20 }));
