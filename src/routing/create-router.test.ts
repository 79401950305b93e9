import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyTask } from './classify-task.js';
import { createRouter } from './create-router.js';

const TABLE = (tier: string, version = 1) => `version: ${version}
tiers:
  trivial: gpt-4o-mini
  standard: claude-3-5-haiku-20241022
  complex: claude-3-5-sonnet-20241022
  critical: claude-3-5-sonnet-20241022
taskClasses:
  classify: { tier: ${tier} }   # comment
`;

describe('createRouter', () => {
  it('picks up an edited table without restart, including atomic renames', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-router-'));
    const file = path.join(dir, 'routing.yaml');
    writeFileSync(file, TABLE('trivial'));
    const router = createRouter({ path: file, checkEveryMs: 0 });
    expect(router.route({ taskType: 'classify' })).toEqual({
      model: 'gpt-4o-mini',
      tier: 'trivial',
      taskType: 'classify',
      version: 1,
    });
    writeFileSync(`${file}.tmp`, TABLE('standard', 2));
    renameSync(`${file}.tmp`, file);
    expect(router.route({ taskType: 'classify' })).toMatchObject({
      model: 'claude-3-5-haiku-20241022',
      tier: 'standard',
      version: 2,
    });
  });

  it('routes a request whose task type is an Object.prototype name as an unlisted class', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-router-'));
    const file = path.join(dir, 'routing.yaml');
    writeFileSync(file, `${TABLE('trivial')}default: { tier: trivial }\n`);
    const router = createRouter({ path: file, checkEveryMs: 0 });
    const unlisted = router.route({ taskType: 'not_in_table' });
    expect(unlisted.tier).toBe(classifyTask({ taskType: 'not_in_table' }));
    for (const taskType of ['toString', 'constructor', 'hasOwnProperty'])
      expect(router.route({ taskType })).toEqual({ ...unlisted, taskType });
  });

  it('keeps the last good table when an edit is invalid, and reports it once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-router-'));
    const file = path.join(dir, 'routing.yaml');
    writeFileSync(file, TABLE('trivial'));
    const errors: string[] = [];
    const router = createRouter({ path: file, checkEveryMs: 0, onReloadError: (e) => errors.push(e.message) });
    writeFileSync(file, TABLE('premium', 2));
    expect(router.route({ taskType: 'classify' }).model).toBe('gpt-4o-mini');
    expect(router.route({ taskType: 'classify' }).model).toBe('gpt-4o-mini');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('unknown tier "premium"');
    expect(readFileSync(file, 'utf8')).toContain('premium');
  });

  it('routes unlisted task types with the default classifier', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-router-'));
    const file = path.join(dir, 'routing.yaml');
    writeFileSync(file, TABLE('trivial'));
    const router = createRouter({ path: file });
    expect(router.route({ taskType: 'legal_review' }).model).toBe('claude-3-5-sonnet-20241022');
    expect(router.route({ taskType: 'extract_field', inputTokens: 100 }).tier).toBe('trivial');
  });

  it('checks the file at most every checkEveryMs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-router-'));
    const file = path.join(dir, 'routing.yaml');
    writeFileSync(file, TABLE('trivial'));
    let t = 0;
    const router = createRouter({ path: file, checkEveryMs: 1000, now: () => t });
    writeFileSync(file, TABLE('complex', 2));
    t = 999;
    expect(router.route({ taskType: 'classify' }).tier).toBe('trivial');
    t = 1000;
    expect(router.route({ taskType: 'classify' }).tier).toBe('complex');
  });
});

describe('classifyTask', () => {
  it.each([
    [{ taskType: 'classify', inputTokens: 120 }, 'trivial'],
    [{ taskType: 'route_intent', inputTokens: 499 }, 'trivial'],
    [{ taskType: 'extract_field', inputTokens: 500 }, 'standard'],
    [{ taskType: 'summarize', inputTokens: 1500 }, 'standard'],
    [{ taskType: 'qa_retrieval', inputTokens: 1500, hasToolCalls: true }, 'complex'],
    [{ taskType: 'generate_reply', inputTokens: 2000 }, 'complex'],
    [{ taskType: 'code_generation' }, 'complex'],
    [{ taskType: 'synthesis' }, 'complex'],
    [{ taskType: 'medical_content', inputTokens: 10 }, 'critical'],
    [{ taskType: 'something_else' }, 'standard'],
  ] as const)('%o -> %s', (signals, tier) => {
    expect(classifyTask(signals)).toBe(tier);
  });
});

describe('createRouter shadow', () => {
  it('names the model an escalated class came from, for shadow evaluation', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-router-'));
    const file = path.join(dir, 'routing.yaml');
    writeFileSync(
      file,
      TABLE('trivial').replace('classify: { tier: trivial }', 'classify: { tier: standard, escalatedFrom: trivial }'),
    );
    const router = createRouter({ path: file });
    expect(router.route({ taskType: 'classify' })).toMatchObject({
      model: 'claude-3-5-haiku-20241022',
      shadow: { model: 'gpt-4o-mini', tier: 'trivial' },
    });
  });
});
