/**
 * ModelArtifact encoding of classical models: JSON meta (config, classes, vocabulary,
 * calibrators) and F32 tensors (idf, then W [features, classes] and b [classes] per member).
 * Float32 weights and JSON doubles round-trip exactly, so a loaded model predicts identically.
 */
import type { ModelArtifact, NamedTensor } from '../estimator';
import { TfidfVectorizer, type TfidfState } from '../../features/tfidf';
import { InputError } from '../../util/errors';
import type { Calibrator } from '../calibration/calibrator';
import type { LinearModel } from './linear';
import { parseClassicalConfig, type ClassicalConfig } from './config';

export interface Member {
  model: LinearModel;
  calibrator: Calibrator | null;
}

export interface ClassicalParts {
  config: ClassicalConfig;
  classes: string[];
  vectorizer: TfidfVectorizer;
  members: Member[];
}

export const CLASSICAL_FORMAT = 1;

export function encodeClassical(p: ClassicalParts): ModelArtifact {
  const { meta: vec, tensors } = p.vectorizer.toArtifactParts('tfidf');
  const all: Record<string, NamedTensor> = { ...tensors };
  p.members.forEach((m, i) => {
    all[`m${i}.W`] = { dtype: 'F32', shape: [m.model.nFeatures, m.model.nClasses], data: new Float32Array(m.model.W) };
    all[`m${i}.b`] = { dtype: 'F32', shape: [m.model.nClasses], data: new Float32Array(m.model.b) };
  });
  return {
    kind: p.config.type,
    meta: {
      family: 'classical',
      format: CLASSICAL_FORMAT,
      config: p.config,
      classes: p.classes,
      vectorizer: vec,
      calibrators: p.members.map((m) => m.calibrator),
    },
    tensors: all,
  };
}

function tensor(a: ModelArtifact, name: string): Float32Array {
  const t = a.tensors[name];
  if (!t || t.dtype !== 'F32') throw new InputError(`Classical artifact lacks the F32 tensor "${name}"`);
  return t.data as Float32Array;
}

export function decodeClassical(a: ModelArtifact): ClassicalParts {
  const meta = a.meta as { format?: number; config?: unknown; classes?: string[]; vectorizer?: TfidfState; calibrators?: (Calibrator | null)[] };
  if (meta.format !== CLASSICAL_FORMAT) throw new InputError(`Unsupported classical artifact format ${String(meta.format)}`);
  const config = parseClassicalConfig(meta.config);
  if (config.type !== a.kind) throw new InputError(`Artifact kind "${a.kind}" does not match its config type "${config.type}"`);
  const classes = meta.classes ?? [];
  const vectorizer = TfidfVectorizer.fromArtifactParts(meta.vectorizer as TfidfState, a.tensors, 'tfidf');
  const K = classes.length;
  const members = (meta.calibrators ?? []).map((calibrator, i) => {
    const W = new Float32Array(tensor(a, `m${i}.W`));
    const b = new Float32Array(tensor(a, `m${i}.b`));
    if (W.length !== vectorizer.numFeatures * K || b.length !== K) throw new InputError(`Tensor shapes of member ${i} do not match the vocabulary and classes`);
    return { model: { nFeatures: vectorizer.numFeatures, nClasses: K, W, b }, calibrator };
  });
  if (members.length === 0) throw new InputError('Classical artifact has no fitted model');
  return { config, classes, vectorizer, members };
}
