import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

export const cacheWarmSpec = defineSpec({
  name: 'cache-warm',
  summary:
    'fill the semantic cache from good past responses and replay recent queries to estimate hit and false-hit rates',
  opensDb: true,
  flags: {
    days: flag.number('replay the queries of the last N days', { min: 0.001, max: 3650, default: 7 }),
    premium: flag.list('models whose responses count as good, comma-separated', {
      placeholder: 'MODEL,...',
      defaultText: "the top tier's model in the routing table",
    }),
  },
});
