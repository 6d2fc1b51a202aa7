import { afterEach, describe, expect, it } from 'vitest';
import { importDataset } from '../data/import';
import type { ImportedDataset } from '../data/import';
import { saveDataset, testAccessLog } from '../data/repository';
import { memoryStore } from '../storage/memory';
import type { MemoryStore } from '../storage/memory';
import { fromBytes, toBytes } from '../storage/port';
import { GuardError } from '../util/errors';
import { guardPaths } from './guard-record';
import type { Phase } from './phase';
import { resetPhases, withPhase } from './phase';
import { evaluateTest, guardStatus, registerTestSplit, setBudget } from './test-guard';

const file = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });

async function dataset(): Promise<ImportedDataset> {
  let train = '';
  for (let k = 0; k < 30; k++) train += `"${(k % 3) + 1}","Title ${k}","Body ${k}"\n`;
  const test = '"1","T one","a"\n"2","T two","b"\n"3","T three","c"\n';
  return importDataset({ kind: 'agnews', files: [file('classes.txt', 'A\nB\nC\n'), file('train.csv', train), file('test.csv', test)] });
}

async function setup(budget = 5): Promise<{ store: MemoryStore; d: ImportedDataset; id: string }> {
  const store = memoryStore();
  const d = await dataset();
  await saveDataset(store, d);
  await registerTestSplit(store, d.meta, d.test, { budget, now: () => new Date('2024-05-01T00:00:00Z') });
  return { store, d, id: d.meta.id };
}

const access = { purpose: 'final evaluation of run r-1', caller: 'test/guard', runId: 'r-1' };
const accuracyOf = async (test: { label: number }[]) => ({ accuracy: test.filter((e) => e.label === 0).length / test.length, predictions: [0, 0, 0] });

/** Rewrites stored test.jsonl lines through `edit` (simulated tampering, bypassing commit). */
async function tamper(store: MemoryStore, id: string, edit: (row: { id: string; label: number; text: string }) => object): Promise<void> {
  const path = guardPaths(id).test;
  const lines = fromBytes((await store.read(path))!)
    .split('\n')
    .filter((l) => l !== '');
  store.poke(path, toBytes(lines.map((l) => `${JSON.stringify(edit(JSON.parse(l)))}\n`).join('')));
}

async function rejection(p: Promise<unknown>): Promise<GuardError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GuardError);
  return e as GuardError;
}

afterEach(() => resetPhases());

describe('test-set guard', () => {
  it('stores guard.json with both hashes, the budget and the time', async () => {
    const { store, id } = await setup(3);
    const rec = JSON.parse(fromBytes((await store.read(`datasets/${id}/guard.json`))!));
    expect(rec).toMatchObject({ datasetId: id, budget: 3, examples: 3, createdAt: '2024-05-01T00:00:00.000Z' });
    expect(rec.idsHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rec.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rec.idsHash).not.toBe(rec.contentHash);
  });

  it('scores, logs the access (persisted) and returns the budget left', async () => {
    const { store, id } = await setup(2);
    const { result, budgetLeft } = await evaluateTest(store, id, access, accuracyOf);
    expect(result.accuracy).toBeCloseTo(1 / 3);
    expect(budgetLeft).toBe(1);
    const lines = fromBytes((await store.read(`datasets/${id}/guard-log.jsonl`))!)
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ outcome: 'granted', runId: 'r-1', caller: 'test/guard', purpose: access.purpose, budgetLeft: 1 });
    expect(entry.result).toEqual({ accuracy: 1 / 3 }); // arrays (predictions) are not logged
    expect(typeof entry.at).toBe('string');
    // The repository's own access log also saw the read.
    expect(await testAccessLog(store, id)).toHaveLength(1);
    const status = await guardStatus(store, id);
    expect(status).toMatchObject({ budget: 2, used: 1, left: 1, verified: { ids: true, content: true, ok: true } });
    expect(status.log).toHaveLength(1);
  });

  it('refuses a missing purpose (and logs the refusal)', async () => {
    const { store, id } = await setup();
    let called = false;
    const e = await rejection(evaluateTest(store, id, { purpose: '  ', caller: 'x' }, async () => ((called = true), {})));
    expect(e.message).toMatch(/state a purpose/);
    expect(called).toBe(false);
    const status = await guardStatus(store, id);
    expect(status.used).toBe(0);
    expect(status.log.map((l) => l.outcome)).toEqual(['refused']);
  });

  it('refuses a test split whose ids changed', async () => {
    const { store, id } = await setup();
    await tamper(store, id, (r) => ({ ...r, id: r.id.replace('test:', 'test:9') }));
    const e = await rejection(evaluateTest(store, id, access, accuracyOf));
    expect(e.message).toMatch(/ids check failed/);
    expect(e.details?.check).toBe('ids');
    expect((await guardStatus(store, id)).verified).toMatchObject({ ids: false, content: false, ok: false });
  });

  it('refuses a test split whose content changed under the same ids', async () => {
    const { store, id } = await setup();
    await tamper(store, id, (r) => ({ ...r, label: (r.label + 1) % 3 }));
    const e = await rejection(evaluateTest(store, id, access, accuracyOf));
    expect(e.message).toMatch(/content check failed/);
    expect(e.details?.check).toBe('content');
    expect((await guardStatus(store, id)).verified).toMatchObject({ ids: true, content: false, ok: false });
  });

  it('refuses a removed example as an ids change', async () => {
    const { store, id } = await setup();
    const path = guardPaths(id).test;
    const lines = fromBytes((await store.read(path))!)
      .split('\n')
      .filter((l) => l !== '');
    store.poke(path, toBytes(`${lines.slice(1).join('\n')}\n`));
    expect((await rejection(evaluateTest(store, id, access, accuracyOf))).message).toMatch(/ids check failed.*2 examples stored, 3 sealed/);
  });

  it.each<Phase>(['training', 'validation', 'search', 'ensemble-weighting'])('refuses reads during %s', async (phase) => {
    const { store, id } = await setup();
    let called = false;
    const e = await withPhase(phase, () => rejection(evaluateTest(store, id, access, async () => ((called = true), {}))));
    expect(e.message).toMatch(new RegExp(`during ${phase === 'search' ? 'hyper-parameter search' : phase.replace('-', ' ')}`));
    expect(e.details?.check).toBe('phase');
    expect(called).toBe(false);
    expect((await guardStatus(store, id)).used).toBe(0);
  });

  it('refuses switching to evaluation from inside training, and allows it afterwards', async () => {
    const { store, id } = await setup();
    await withPhase('training', async () => {
      await expect(withPhase('evaluation', () => evaluateTest(store, id, access, accuracyOf))).rejects.toThrow(/Cannot enter phase "evaluation" during training/);
    });
    const r = await withPhase('evaluation', () => evaluateTest(store, id, access, accuracyOf));
    expect(r.budgetLeft).toBe(4);
  });

  it('refuses when the budget is spent, listing how it was spent', async () => {
    const { store, id } = await setup(2);
    await evaluateTest(store, id, { ...access, runId: 'r-1' }, accuracyOf);
    await evaluateTest(store, id, { purpose: 'second look after retraining', caller: 'cli/eval', runId: 'r-2' }, accuracyOf);
    const e = await rejection(evaluateTest(store, id, access, accuracyOf));
    expect(e.message).toMatch(/budget of 2 is spent/);
    expect(e.message).toContain('run r-1 by test/guard: "final evaluation of run r-1"');
    expect(e.message).toContain('run r-2 by cli/eval: "second look after retraining"');
    expect(e.message).toContain('accuracy 0.3333');
    const status = await guardStatus(store, id);
    expect(status).toMatchObject({ used: 2, left: 0 });
    expect(status.log.map((l) => l.outcome)).toEqual(['granted', 'granted', 'refused']);
  });

  it('grants exactly the budget left to concurrent evaluations (the spend is atomic)', async () => {
    const { store, id } = await setup(2);
    // A slow scorer: without the lock all three would read "2 left" before any of them logs.
    const slow = async (test: { label: number }[]) => {
      await new Promise((r) => setTimeout(r, 20));
      return accuracyOf(test);
    };
    const outcomes = await Promise.allSettled([1, 2, 3].map((k) => evaluateTest(store, id, { ...access, runId: `r-${k}` }, slow)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason.message))).toEqual([
      expect.stringMatching(/budget of 2 is spent/),
    ]);
    expect(await guardStatus(store, id)).toMatchObject({ used: 2, left: 0 });
  });

  it('counts a scorer that throws against the budget (the split was exposed)', async () => {
    const { store, id } = await setup(1);
    await expect(evaluateTest(store, id, access, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect((await guardStatus(store, id)).left).toBe(0);
  });

  it('setBudget raises the budget with a logged reason', async () => {
    const { store, id } = await setup(1);
    await evaluateTest(store, id, access, accuracyOf);
    await expect(setBudget(store, id, 3, { reason: ' ', caller: 'me' })).rejects.toBeInstanceOf(GuardError);
    const s = await setBudget(store, id, 3, { reason: 'new held-out question approved', caller: 'me' });
    expect(s).toMatchObject({ budget: 3, used: 1, left: 2 });
    expect(s.log.at(-1)).toMatchObject({ outcome: 'budget', reason: 'budget 1 -> 3' });
    expect((await evaluateTest(store, id, access, accuracyOf)).budgetLeft).toBe(1);
  });

  it('denies datasets that were never registered, and re-registering keeps the log', async () => {
    const store = memoryStore();
    const d = await dataset();
    await saveDataset(store, d);
    expect((await rejection(evaluateTest(store, d.meta.id, access, accuracyOf))).message).toMatch(/never registered/);
    await registerTestSplit(store, d.meta, d.test, { budget: 2 });
    await evaluateTest(store, d.meta.id, access, accuracyOf);
    await registerTestSplit(store, d.meta, d.test, { budget: 9 });
    expect(await guardStatus(store, d.meta.id)).toMatchObject({ budget: 2, used: 1 });
    const other = d.test.map((e) => ({ ...e, text: `${e.text}!` }));
    await expect(registerTestSplit(store, d.meta, other)).rejects.toThrow(/does not match meta.testFingerprint/);
  });
});
