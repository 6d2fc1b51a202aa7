import { describe, expect, it } from 'vitest';
import { compareIds, datasetFingerprint, datasetIdFrom, testFingerprint } from './fingerprint';
import type { Example } from './types';

const ex = (id: string, label: number, text: string): Example => ({ id, label, text });
const parts = () => ({
  classes: ['a', 'b'],
  train: [ex('train:2', 0, 'x y'), ex('train:10', 1, 'tab\there')],
  validation: [ex('train:5', 1, 'v')],
  test: [ex('test:1', 0, 'é😀'), ex('test:3', 1, 'line\nbreak')],
});

describe('fingerprints', () => {
  it('are stable, prefixed, and independent of example order', async () => {
    const fp = await datasetFingerprint(parts());
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    const shuffled = parts();
    shuffled.train.reverse();
    shuffled.test.reverse();
    expect(await datasetFingerprint(shuffled)).toBe(fp);
    expect(await testFingerprint(shuffled.test)).toBe(await testFingerprint(parts().test));
  });

  it('pin the canonical form (changing it changes every dataset id)', async () => {
    // sha256 of "agnews-lab dataset v1\ntest\t1\ntest:1\t0\t1\ta\n", computed with sha256sum.
    expect(await testFingerprint([ex('test:1', 0, 'a')])).toBe('sha256:7232b3c1882e0f0e7560db711038416e7a5dc168c40b42e9ccb96c892def73b8');
  });

  it('change with any text, label, id, class name, or split membership', async () => {
    const base = await datasetFingerprint(parts());
    const variants = [
      (p: ReturnType<typeof parts>) => (p.train[0].text = 'x  y'),
      (p: ReturnType<typeof parts>) => (p.train[0].label = 1),
      (p: ReturnType<typeof parts>) => (p.train[0].id = 'train:3'),
      (p: ReturnType<typeof parts>) => (p.classes = ['a', 'c']),
      (p: ReturnType<typeof parts>) => p.validation.push(p.train.pop()!),
      (p: ReturnType<typeof parts>) => (p.test[1].text = 'line break'),
    ];
    for (const change of variants) {
      const p = parts();
      change(p);
      expect(await datasetFingerprint(p)).not.toBe(base);
    }
  });

  it('cannot be forged by moving text across the field boundaries', async () => {
    const a = await testFingerprint([ex('test:1', 0, 'a\ntest:2\t0\t1\tb')]);
    const b = await testFingerprint([ex('test:1', 0, 'a'), ex('test:2', 0, 'b')]);
    expect(a).not.toBe(b);
  });

  it('derive a short dataset id', () => {
    expect(datasetIdFrom('sha256:0123456789abcdef0000')).toBe('ds-0123456789ab');
  });

  it('order ids numerically within a prefix', () => {
    expect(['train:10', 'train:9', 'train:100'].sort(compareIds)).toEqual(['train:9', 'train:10', 'train:100']);
  });
});
