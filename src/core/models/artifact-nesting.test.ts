import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from './estimator';
import { flattenArtifact, unflattenArtifact } from './artifact-nesting';

const t = (...xs: number[]) => ({ dtype: 'F32' as const, shape: [xs.length], data: Float32Array.from(xs) });

describe('nested artifacts', () => {
  const member: ModelArtifact = { kind: 'tfidf-nb', meta: { alpha: 0.1 }, tensors: { w: t(1, 2) } };
  const inner: ModelArtifact = { kind: 'ensemble', meta: { method: 'soft' }, tensors: { w: t(3) }, members: [{ name: 'nb', artifact: member }] };
  const outer: ModelArtifact = {
    kind: 'ensemble',
    meta: { method: 'weighted' },
    tensors: { weights: t(0.25, 0.75) },
    refs: [{ uri: 'hf:google-bert/bert-base-uncased@main/model.safetensors', sha256: 'ab'.repeat(32), bytes: 440_000_000 }],
    members: [
      { name: 'inner', weight: 0.25, artifact: inner },
      { name: 'bert', weight: 0.75, ref: { uri: 'run:2026-01-01-bert' } },
    ],
  };

  it('flattens members into prefixed tensors and a JSON head, and rebuilds the same artifact', () => {
    const { head, tensors } = flattenArtifact(outer);
    expect(Object.keys(tensors).sort()).toEqual(['members.0.members.0.w', 'members.0.w', 'weights']);
    // The head must survive JSON (it travels as safetensors metadata).
    const back = unflattenArtifact(JSON.parse(JSON.stringify(head)), tensors);
    expect(back).toEqual(outer);
  });

  it('leaves a plain artifact unchanged and refuses a tensor name it could not tell from a member', () => {
    const { head, tensors } = flattenArtifact(member);
    expect(head).toEqual({ kind: 'tfidf-nb', meta: { alpha: 0.1 } });
    expect(unflattenArtifact(head, tensors)).toEqual(member);
    expect(() => flattenArtifact({ kind: 'x', meta: {}, tensors: { 'members.0': t(1) } })).toThrow(/reserved prefix/);
  });
});
