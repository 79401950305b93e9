// Runs the Anthropic-wire fake in its own process (a real provider is remote: its CPU is not ours).
// Usage: node --import tsx bench/fake-server-child.ts <latencyMs>; prints the base URL on stdout.
import { startFakeAnthropic } from '../test/support/fakes/fake-anthropic-server.js';

const fake = await startFakeAnthropic({ latencyMs: Number(process.argv[2] ?? 0) });
process.stdout.write(`${fake.url}\n`);
process.on('SIGTERM', () => {
  void fake.close().then(() => process.exit(0));
});
