import { defineSpec } from '../command.js';

export const migrateSpec = defineSpec({
  name: 'migrate',
  summary: 'apply pending database migrations',
  opensDb: true,
  flags: {},
});
