/**
 * The test split's seal: two SHA-256 hashes, kept apart so that a refusal can say what changed.
 *   ids     - the sorted sample ids: examples were added, removed or renamed.
 *   content - ids, labels and texts: a label was flipped or a text edited in place.
 * A relabelled example keeps its id, so the ids hash alone would miss it; a reshuffled set
 * keeps its content lines, so the content hash alone could not say "different examples".
 */
import { compareIds, testFingerprint } from '../data/fingerprint';
import type { Example } from '../data/types';
import { fromBytes } from '../storage/port';
import { GuardError } from '../util/errors';
import { sha256Hex } from '../util/hash';

export interface TestSeal {
  /** `sha256:` + hex over the ids, sorted as the data layer sorts them, one per line. */
  idsHash: string;
  /** `sha256:` + hex over id, label and text of every example (the data layer's test fingerprint). */
  contentHash: string;
  examples: number;
}

export type SealCheck = 'ids' | 'content';

export async function idsHash(test: readonly Example[]): Promise<string> {
  const ids = test.map((e) => e.id).sort(compareIds);
  return `sha256:${await sha256Hex(`agnews-lab test ids v1\n${ids.length}\n${ids.join('\n')}\n`)}`;
}

/**
 * Reuses `testFingerprint` (sorted by id, labels and length-prefixed texts): the same bytes the
 * import sealed, so the guard and `readTestSplit` can never disagree about "changed content".
 */
export async function contentHash(test: readonly Example[]): Promise<string> {
  return testFingerprint([...test]);
}

export async function sealOf(test: readonly Example[]): Promise<TestSeal> {
  const [ids, content] = await Promise.all([idsHash(test), contentHash(test)]);
  return { idsHash: ids, contentHash: content, examples: test.length };
}

/**
 * Parses stored `test.jsonl` bytes for verification only (the examples go to callers through
 * `readTestSplit`). A line that is not an example is itself a content change.
 */
export function parseTestBytes(bytes: Uint8Array, path: string): Example[] {
  const out: Example[] = [];
  const lines = fromBytes(bytes).split('\n');
  for (let k = 0; k < lines.length; k++) {
    if (lines[k] === '') continue;
    let e: Partial<Example>;
    try {
      e = JSON.parse(lines[k]) as Partial<Example>;
    } catch {
      throw new GuardError(`Content check failed: ${path} line ${k + 1} is not valid JSON`, { check: 'content' });
    }
    if (typeof e.id !== 'string' || typeof e.text !== 'string' || !Number.isInteger(e.label)) {
      throw new GuardError(`Content check failed: ${path} line ${k + 1} is not an example {id, label, text}`, { check: 'content' });
    }
    out.push({ id: e.id, label: e.label as number, text: e.text });
  }
  return out;
}

export interface SealVerdict {
  ids: boolean;
  content: boolean;
  /** The first failing check, ids before content (changed ids explain a changed content hash). */
  failed?: SealCheck;
  actual: TestSeal;
}

export async function verifySeal(expected: Pick<TestSeal, 'idsHash' | 'contentHash'>, test: readonly Example[]): Promise<SealVerdict> {
  const actual = await sealOf(test);
  const ids = actual.idsHash === expected.idsHash;
  const content = actual.contentHash === expected.contentHash;
  return { ids, content, failed: !ids ? 'ids' : !content ? 'content' : undefined, actual };
}
