/**
 * Leakage detector: texts that appear, exactly or nearly, in more than one split. A test
 * example whose near-copy was trained on is scored as memory, not generalisation.
 *
 * Exact: same normalised text (the data layer's key: lowercase, punctuation dropped, spaces
 * collapsed), grouped by the normalised string itself. Near: MinHash over word shingles with
 * LSH banding proposes pairs, and each proposal is confirmed by exact Jaccard >= threshold, so
 * reported near pairs have no false positives; recall at the threshold is ~1 - (1 - t^r)^b
 * (0.9998 for t = 0.8 with the defaults, 16 bands of 4 rows).
 *
 * Work is done once per distinct normalised text: exact copies share a signature, and pair
 * counts are expanded from the per-split multiplicities afterwards.
 */
import { normaliseText } from '../data/normalise';
import { InputError } from '../util/errors';
import { deriveSeed } from '../util/random';
import { jaccard, lshPairs, shingleSets, signatures } from './minhash';

export type LeakSplit = 'train' | 'validation' | 'test';
export type SplitPair = 'train-validation' | 'train-test' | 'validation-test';

export interface LeakText {
  id: string;
  text: string;
}

export interface LeakageOptions {
  /** Jaccard similarity of word shingles at or above which two texts are near duplicates. */
  threshold?: number;
  numPerm?: number;
  bands?: number;
  /** Words per shingle. */
  shingle?: number;
  seed?: number;
  /** Example pairs kept per split pair. */
  maxExamples?: number;
  /** LSH buckets larger than this are skipped (see LshOptions.maxBucket). */
  maxBucket?: number;
}

export const LEAKAGE_DEFAULTS = { threshold: 0.8, numPerm: 64, bands: 16, shingle: 3, seed: 1, maxExamples: 10, maxBucket: 500 };

export interface PairCounts {
  pair: SplitPair;
  /** Cross-split pairs of examples with identical normalised text. */
  exact: number;
  /** Cross-split pairs with different normalised text but Jaccard >= threshold. */
  near: number;
  /** Distinct examples of the second split with an exact or near copy in the first. */
  affected: number;
}

export interface LeakExample {
  pair: SplitPair;
  kind: 'exact' | 'near';
  similarity: number;
  a: LeakText;
  b: LeakText;
}

export interface LeakageReport {
  settings: Required<LeakageOptions>;
  sizes: Record<LeakSplit, number>;
  pairs: PairCounts[];
  examples: LeakExample[];
  /** Oversized LSH buckets skipped; non-zero means near counts may be low. */
  skippedBuckets: number;
  /** Candidate pairs whose Jaccard was computed. */
  candidates: number;
}

const SPLITS: LeakSplit[] = ['train', 'validation', 'test'];
const PAIRS: [SplitPair, number, number][] = [
  ['train-validation', 0, 1],
  ['train-test', 0, 2],
  ['validation-test', 1, 2],
];

function settingsOf(opts: LeakageOptions): Required<LeakageOptions> {
  const s = { ...LEAKAGE_DEFAULTS, ...opts };
  if (!(s.threshold > 0 && s.threshold <= 1)) throw new InputError(`threshold must be in (0, 1], got ${s.threshold}`, { field: 'threshold' });
  if (!Number.isInteger(s.shingle) || s.shingle < 1) throw new InputError(`shingle must be a whole number >= 1, got ${s.shingle}`, { field: 'shingle' });
  if (!Number.isInteger(s.numPerm) || s.numPerm < 1) throw new InputError(`numPerm must be a whole number >= 1, got ${s.numPerm}`, { field: 'numPerm' });
  return s;
}

/** Finds exact and near duplicates across the splits. Splits may be empty or absent. */
export function detectLeakage(splits: { train: readonly LeakText[]; validation?: readonly LeakText[]; test: readonly LeakText[] }, opts: LeakageOptions = {}): LeakageReport {
  const settings = settingsOf(opts);
  const lists = [splits.train, splits.validation ?? [], splits.test];

  // Distinct normalised texts; members[u][s] lists indices into split s.
  const index = new Map<string, number>();
  const keys: string[] = [];
  const members: number[][][] = [];
  const mask: number[] = [];
  for (let s = 0; s < 3; s++) {
    const list = lists[s];
    for (let k = 0; k < list.length; k++) {
      const key = normaliseText(list[k].text);
      if (key === '') continue; // an empty text says nothing about leakage
      let u = index.get(key);
      if (u === undefined) {
        u = keys.length;
        index.set(key, u);
        keys.push(key);
        members.push([[], [], []]);
        mask.push(0);
      }
      members[u][s].push(k);
      mask[u] |= 1 << s;
    }
  }

  const counts = PAIRS.map(([pair]) => ({ pair, exact: 0, near: 0, affected: 0 }));
  // affected[p][u]: distinct text u (present in the pair's second split) has a copy in its first.
  const affected = PAIRS.map(() => new Uint8Array(keys.length));
  const exactExamples: LeakExample[][] = PAIRS.map(() => []);
  const nearExamples: LeakExample[][] = PAIRS.map(() => []);
  const pick = (s: number, u: number): LeakText => {
    const e = lists[s][members[u][s][0]];
    return { id: e.id, text: e.text };
  };

  for (let u = 0; u < keys.length; u++) {
    PAIRS.forEach(([pair, a, b], p) => {
      const na = members[u][a].length;
      const nb = members[u][b].length;
      if (na === 0 || nb === 0) return;
      counts[p].exact += na * nb;
      affected[p][u] = 1;
      if (exactExamples[p].length < settings.maxExamples) exactExamples[p].push({ pair, kind: 'exact', similarity: 1, a: pick(a, u), b: pick(b, u) });
    });
  }

  const sets = shingleSets(keys, settings.shingle);
  const sig = signatures(sets, settings.numPerm, deriveSeed(settings.seed, 'leakage-minhash'));
  let candidates = 0;
  // Only pairs that can cross splits are worth a Jaccard: two texts seen only in train cannot.
  const crosses = (i: number, j: number): boolean => {
    const m = mask[i] | mask[j];
    return !(mask[i] === mask[j] && (m & (m - 1)) === 0);
  };
  const skippedBuckets = lshPairs(sig, keys.length, { numPerm: settings.numPerm, bands: settings.bands, maxBucket: settings.maxBucket }, crosses, (i, j) => {
    candidates++;
    const sim = jaccard(sets, i, j);
    if (sim < settings.threshold) return;
    PAIRS.forEach(([pair, a, b], p) => {
      // Both orientations: i in the first split and j in the second, or the other way round.
      for (const [x, y] of [
        [i, j],
        [j, i],
      ]) {
        const n = members[x][a].length * members[y][b].length;
        if (n === 0) continue;
        counts[p].near += n;
        affected[p][y] = 1;
        if (nearExamples[p].length < settings.maxExamples * 4) nearExamples[p].push({ pair, kind: 'near', similarity: sim, a: pick(a, x), b: pick(b, y) });
      }
    });
  });

  PAIRS.forEach(([, , b], p) => {
    let n = 0;
    for (let u = 0; u < keys.length; u++) if (affected[p][u]) n += members[u][b].length;
    counts[p].affected = n;
  });

  // Exact copies first, then near copies, most similar first (among the first 4 x maxExamples
  // found: enough to show the pattern without holding every pair of a badly leaking dataset).
  const examples: LeakExample[] = [];
  PAIRS.forEach((_, p) => {
    const near = nearExamples[p].sort((x, y) => y.similarity - x.similarity || x.b.id.localeCompare(y.b.id));
    examples.push(...[...exactExamples[p], ...near].slice(0, settings.maxExamples));
  });

  return {
    settings,
    sizes: { train: lists[0].length, validation: lists[1].length, test: lists[2].length },
    pairs: counts,
    examples,
    skippedBuckets,
    candidates,
  };
}

/** One line per split pair, for logs and CLI output. */
export function formatLeakage(r: LeakageReport): string {
  const head = `leakage (${SPLITS.map((s) => `${s} ${r.sizes[s]}`).join(', ')}; near = Jaccard >= ${r.settings.threshold} over word ${r.settings.shingle}-shingles)`;
  const rows = r.pairs.map((c) => `  ${c.pair}: ${c.exact} exact, ${c.near} near pairs; ${c.affected} ${c.pair.split('-')[1]} examples affected`);
  return [head, ...rows].join('\n');
}

/** One line per split pair with copies, for the warnings shown before training. */
export function leakageWarnings(report: LeakageReport): string[] {
  return report.pairs
    .filter((p) => p.exact + p.near > 0)
    .map((p) => {
      const [first, second] = p.pair.split('-');
      return `leakage: ${p.affected} ${second} example${p.affected === 1 ? '' : 's'} ha${p.affected === 1 ? 's' : 've'} a copy in ${first} (${p.exact} exact, ${p.near} near pairs): ${second} scores will read optimistic by about that share`;
    });
}
