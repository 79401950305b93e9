import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openDb } from '../db/open-db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { RoutingTableError } from '../errors.js';
import { loadRoutingTable } from '../routing/routing-table.js';
import type { RoutingFormat } from '../config/routing-format.js';
import { runCli } from '../../test/support/run-cli.js';
import { applyRoutingChanges } from './apply-routing-changes.js';
import { seededRandom } from '../stats/seeded-random.js';
import { insertJudgedVerdicts } from '../../test/support/insert-judged-verdicts.js';

const EXAMPLE = new URL('../../examples/litellm/config.yaml', import.meta.url);
const TEXT = readFileSync(EXAMPLE, 'utf8');
const FORMAT: RoutingFormat = {
  format: 'litellm',
  tiers: { cheap: 'openai/gpt-4o-mini', premium: 'anthropic/claude-sonnet-4-5' },
  pinned: ['compliance_check'],
};
const now = new Date('2026-12-01T03:00:00Z');

function copy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-litellm-table-'));
  const file = path.join(dir, 'config.yaml');
  copyFileSync(EXAMPLE, file);
  return file;
}

describe('a LiteLLM config.yaml as the routing table', () => {
  it('reads each model group on a tier model as a task class; other entries are not classes', () => {
    const { table } = loadRoutingTable(copy(), FORMAT);
    expect(table.taskClasses).toEqual({
      classify: { tier: 'cheap' },
      extract: { tier: 'cheap' },
      qa: { tier: 'cheap' },
      compliance_check: { tier: 'premium', pinned: true },
    });
    expect(table.tiers).toEqual(FORMAT.format === 'litellm' ? FORMAT.tiers : {});
  });

  it.each([
    [
      'a deployment of a group on another model',
      TEXT.replace('      model: "openai/gpt-4o-mini"\n', '      model: "openai/gpt-4.1-nano"\n'),
      /config\.yaml:29: model_list\.3\.litellm_params\.model: the deployments of "qa" are on "openai\/gpt-4o-mini" and "openai\/gpt-4.1-nano"/,
    ],
    [
      'an entry without litellm_params.model',
      TEXT.replace('      model: openai/text-embedding-3-small\n', ''),
      /config\.yaml:\d+: model_list\.5\.litellm_params\.model: .*expected string/i,
    ],
    ['no model_list', 'litellm_settings: {}\n', /config\.yaml: model_list: .*expected array/i],
    ['invalid YAML', `${TEXT}\n  - : [`, /config\.yaml:\d+: invalid YAML/],
  ])('%s is RoutingTableError (exit 2) naming file, line and key', (_name, text, message) => {
    const file = copy();
    writeFileSync(file, text);
    let err: unknown;
    try {
      loadRoutingTable(file, FORMAT);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RoutingTableError);
    expect((err as RoutingTableError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
  });

  it('a pinned class the file does not route is an error (a typo in driftwatch.yaml)', () => {
    expect(() => loadRoutingTable(copy(), { ...FORMAT, pinned: ['complience_check'] } as RoutingFormat)).toThrow(
      /pinned in driftwatch\.yaml names "complience_check"/,
    );
  });
});

describe.each(testDbAdapters.filter((a) => a.enabled))(
  'applyRoutingChanges on a LiteLLM config.yaml ($name)',
  ({ create }) => {
    let db: Db;
    beforeAll(async () => {
      db = await create();
    });
    afterAll(async () => {
      await db.close();
    });

    it("an escalation changes only the class entries' litellm_params.model: comments kept, YAML valid, every other entry byte-identical; versioned and audited", async () => {
      const file = copy();
      const r = await applyRoutingChanges({
        file,
        format: FORMAT,
        changes: [{ taskType: 'qa', kind: 'escalate', fromTier: 'cheap', to: 'premium', reason: 'error rate 9% > 3%' }],
        apply: true,
        now,
        db,
        actor: 'test',
      });
      expect(r.written).toBe(true);
      const after = readFileSync(file, 'utf8');
      // exactly the two qa deployments' model scalars changed (quoting style kept), nothing else
      expect(after).toBe(
        TEXT.replace('{ model: "openai/gpt-4o-mini", rpm', '{ model: "anthropic/claude-sonnet-4-5", rpm').replace(
          '      model: "openai/gpt-4o-mini"\n      timeout',
          '      model: "anthropic/claude-sonnet-4-5"\n      timeout',
        ),
      );
      expect(r.diff.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toHaveLength(4);
      const doc = parseDocument(after);
      expect(doc.errors).toEqual([]);
      const before = parseDocument(TEXT).toJS();
      const js = doc.toJS();
      for (const i of [0, 1, 4, 5]) expect(js.model_list[i]).toEqual(before.model_list[i]);
      for (const k of ['litellm_settings', 'router_settings', 'general_settings']) expect(js[k]).toEqual(before[k]);
      expect(after).toContain('# a second deployment of the same group: moved together');
      expect(loadRoutingTable(file, FORMAT).table.taskClasses.qa).toEqual({ tier: 'premium' });

      const versions = await db.query<{ version: number; reason: string | null }>(
        'select version, reason from routing_versions where path = $1 order by version',
        [file],
      );
      expect(versions.rows.map((v) => v.version)).toEqual([0, 1]);
      const audit = await db.query<{ action: string; task_type: string }>(
        `select action, task_type from audit_log where details->>'file' = $1`,
        [file],
      );
      expect(audit.rows).toEqual([{ action: 'escalate', task_type: 'qa' }]);

      // the next change gets the next version from the database (the file has none)
      const r2 = await applyRoutingChanges({
        file,
        format: FORMAT,
        changes: [{ taskType: 'classify', kind: 'escalate', fromTier: 'cheap', to: 'premium', reason: 'drift' }],
        apply: true,
        now,
        db,
      });
      expect([r2.oldVersion, r2.newVersion]).toEqual([1, 2]);
      expect(readFileSync(file, 'utf8')).toContain('      model: anthropic/claude-sonnet-4-5     # tier cheap');
    });

    it("refuses to move an entry keeping one provider's api_key or api_base to another provider's model; the file is untouched", async () => {
      const file = copy();
      const keyed = TEXT.replace(
        '      model: openai/gpt-4o-mini\n      max_tokens: 512\n',
        '      model: openai/gpt-4o-mini\n      api_key: os.environ/OPENAI_API_KEY\n      max_tokens: 512\n',
      );
      writeFileSync(file, keyed);
      const err = await applyRoutingChanges({
        file,
        format: FORMAT,
        changes: [{ taskType: 'extract', kind: 'escalate', fromTier: 'cheap', to: 'premium', reason: 'x' }],
        apply: true,
        now,
        db,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RoutingTableError);
      expect((err as Error).message).toMatch(
        /config\.yaml:23: model_list\.1\.litellm_params: "extract" would move from openai\/gpt-4o-mini to anthropic\/claude-sonnet-4-5 \(another provider\) but keeps api_key of openai/,
      );
      expect(readFileSync(file, 'utf8')).toBe(keyed);
      // the same provider is fine: an api_key stays right
      const sameProvider: RoutingFormat = {
        format: 'litellm',
        tiers: { cheap: 'openai/gpt-4o-mini', premium: 'openai/gpt-4.1' },
        pinned: [],
      };
      const r = await applyRoutingChanges({
        file,
        format: sameProvider,
        changes: [{ taskType: 'extract', kind: 'escalate', fromTier: 'cheap', to: 'premium', reason: 'x' }],
        apply: true,
        now,
        db,
      });
      expect(r.written).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(
        keyed.replace('      model: openai/gpt-4o-mini\n      api_key', '      model: openai/gpt-4.1\n      api_key'),
      );
    });

    it('refuses a class on a tier it is not on, and a class with no entry; the file is untouched', async () => {
      const file = copy();
      await expect(
        applyRoutingChanges({
          file,
          format: FORMAT,
          changes: [{ taskType: 'qa', kind: 'escalate', fromTier: 'premium', to: 'cheap', reason: 'x' }],
          apply: true,
          now,
          db,
        }),
      ).rejects.toThrow(/is on tier "cheap", not "premium"/);
      await expect(
        applyRoutingChanges({
          file,
          format: FORMAT,
          changes: [{ taskType: 'embed', kind: 'escalate', fromTier: 'cheap', to: 'premium', reason: 'x' }],
          apply: true,
          now,
          db,
        }),
      ).rejects.toThrow();
      expect(readFileSync(file, 'utf8')).toBe(TEXT);
    });
  },
);

describe('driftwatch escalate --apply with routingTable: { format: litellm }', () => {
  it('moves the drifting class in config.yaml, leaves the rest byte-identical, and exits 2 on an invalid config with the file untouched', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-litellm-cli-'));
    copyFileSync(EXAMPLE, path.join(dir, 'config.yaml'));
    copyFileSync(new URL('../../examples/litellm/driftwatch.yaml', import.meta.url), path.join(dir, 'driftwatch.yaml'));
    const db = await openDb('db', dir);
    await migrate(db);
    const rand = seededRandom(7);
    await insertJudgedVerdicts(
      db,
      'extract',
      400,
      Array.from({ length: 400 }, (_, i) => i + 1).filter(() => rand() < 0.1),
    );
    await insertJudgedVerdicts(db, 'classify', 400, [50, 250]);
    await db.close();
    const r = await runCli(['escalate', '--apply', '--db', 'db', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.routingTableChanged).toBe(true);
    expect(out.classes.find((c: { taskType: string }) => c.taskType === 'extract')).toMatchObject({
      decision: 'escalate',
      tier: 'cheap',
      to: 'premium',
    });
    expect(readFileSync(path.join(dir, 'config.yaml'), 'utf8')).toBe(
      TEXT.replace(
        '      model: openai/gpt-4o-mini\n      max_tokens',
        '      model: anthropic/claude-sonnet-4-5\n      max_tokens',
      ),
    );

    const broken = TEXT.replace('      model: openai/text-embedding-3-small\n', '');
    writeFileSync(path.join(dir, 'config.yaml'), broken);
    const bad = await runCli(['escalate', '--apply', '--db', 'db'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/config\.yaml:\d+: model_list\.5\.litellm_params\.model/);
    expect(readFileSync(path.join(dir, 'config.yaml'), 'utf8')).toBe(broken);
  });
});
