/**
 * Nested artifacts as one flat tensor set plus a JSON head, so that a store writing a single
 * safetensors file (runs/checkpoint.ts) keeps an ensemble's members and an artifact's references:
 * member i's tensors are renamed `members.<i>.<name>`, its kind and meta go into the head.
 */
import { InputError } from '../util/errors';
import type { ArtifactMember, AssetRef, ModelArtifact, NamedTensor } from './estimator';

/** The JSON part of a flattened artifact (what goes in the safetensors metadata). */
export interface ArtifactHead {
  kind: string;
  meta: Record<string, unknown>;
  members?: MemberHead[];
  refs?: AssetRef[];
}

type MemberHead = { name: string; weight?: number } & ({ head: ArtifactHead } | { ref: AssetRef });

const PREFIX = 'members.';

function flattenInto(a: ModelArtifact, prefix: string, tensors: Record<string, NamedTensor>): ArtifactHead {
  for (const [name, t] of Object.entries(a.tensors)) {
    if (name.startsWith(PREFIX)) throw new InputError(`Tensor "${name}" of a ${a.kind} artifact uses the reserved prefix "${PREFIX}"`);
    tensors[prefix + name] = t;
  }
  const head: ArtifactHead = { kind: a.kind, meta: a.meta };
  if (a.refs?.length) head.refs = a.refs;
  if (a.members?.length) {
    head.members = a.members.map((m, i): MemberHead => {
      const base = { name: m.name, ...(m.weight !== undefined ? { weight: m.weight } : {}) };
      return m.artifact ? { ...base, head: flattenInto(m.artifact, `${prefix}${PREFIX}${i}.`, tensors) } : { ...base, ref: m.ref! };
    });
  }
  return head;
}

/** One tensor set and one head for an artifact and all its members. */
export function flattenArtifact(a: ModelArtifact): { head: ArtifactHead; tensors: Record<string, NamedTensor> } {
  const tensors: Record<string, NamedTensor> = {};
  return { head: flattenInto(a, '', tensors), tensors };
}

function rebuild(head: ArtifactHead, prefix: string, tensors: Record<string, NamedTensor>): ModelArtifact {
  const own: Record<string, NamedTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (!rest.startsWith(PREFIX)) own[rest] = t;
  }
  const a: ModelArtifact = { kind: head.kind, meta: head.meta, tensors: own };
  if (head.refs) a.refs = head.refs;
  if (head.members) {
    a.members = head.members.map((m, i): ArtifactMember => {
      const base = { name: m.name, ...(m.weight !== undefined ? { weight: m.weight } : {}) };
      if ('head' in m) return { ...base, artifact: rebuild(m.head, `${prefix}${PREFIX}${i}.`, tensors) };
      if ('ref' in m) return { ...base, ref: m.ref };
      throw new InputError(`Artifact member "${String((m as { name?: unknown }).name)}" has neither an artifact nor a reference`);
    });
  }
  return a;
}

/** The inverse of flattenArtifact. Top-level tensor names never start with `members.`. */
export function unflattenArtifact(head: ArtifactHead, tensors: Record<string, NamedTensor>): ModelArtifact {
  return rebuild(head, '', tensors);
}
