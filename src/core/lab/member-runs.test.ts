import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../models/estimator';
import { predictsWithTensors } from '../models/registry';
import { runIdOfRef, treeNeedsTensors, type ArtifactTree } from './member-runs';

const plain: ModelArtifact = { kind: 'tfidf-nb', meta: {}, tensors: {} };
const tensors: ModelArtifact = { kind: 'transformer', meta: {}, tensors: {} };
const ensembleOf = (...ids: string[]): ModelArtifact => ({ kind: 'ensemble', meta: {}, tensors: {}, members: ids.map((id) => ({ name: id, ref: { uri: `run:${id}` } })) });

describe('member runs', () => {
  it('reads run ids from run: references only', () => {
    expect(runIdOfRef({ uri: 'run:runs/a' })).toBe('runs/a');
    expect(runIdOfRef({ uri: 'hf:owner/name/model.safetensors' })).toBeUndefined();
    expect(runIdOfRef(undefined)).toBeUndefined();
  });

  it('needs a tensor backend exactly when some member run does, through nested ensembles', () => {
    const tree: ArtifactTree = new Map([
      ['nb', plain],
      ['tf', tensors],
      ['plain-ens', ensembleOf('nb', 'nb2')],
      ['nb2', plain],
      ['mixed', ensembleOf('plain-ens', 'tf')],
      ['outer', ensembleOf('nb', 'plain-ens')],
    ]);
    expect(treeNeedsTensors(tree, 'plain-ens')).toBe(false);
    expect(treeNeedsTensors(tree, 'outer')).toBe(false);
    expect(treeNeedsTensors(tree, 'mixed')).toBe(true);
  });

  it('counts a member reference it cannot see through as needing tensors', () => {
    expect(predictsWithTensors(ensembleOf('nb', 'gone'), (ref) => (ref.uri === 'run:nb' ? plain : undefined))).toBe(true);
    expect(predictsWithTensors(ensembleOf('nb'))).toBe(true);
    expect(predictsWithTensors({ kind: 'calibrated', meta: {}, tensors: {}, members: [{ name: 'base', artifact: plain }] })).toBe(false);
  });
});
