/**
 * Robustness to noisy input: how much accuracy a model loses when headlines arrive with
 * typos, corrupted characters or missing words. Every perturbation draws from a seeded Rng,
 * so the perturbed set (and the reported drop) is identical on every machine.
 */
import { deriveSeed, Rng } from '../util/random';
import type { Predictor } from './efficiency';
import { accuracy, argmax } from './metrics';

export type PerturbationKind = 'typos' | 'char-noise' | 'word-drop';
export const PERTURBATIONS: readonly PerturbationKind[] = ['typos', 'char-noise', 'word-drop'];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const isLetter = (ch: string) => /\p{L}/u.test(ch);

/**
 * Swaps adjacent letters, each position with probability `rate` (the commonest keyboard
 * slip). A swapped pair is skipped so one letter does not travel along the word.
 */
export function typos(text: string, rate: number, rng: Rng): string {
  const ch = Array.from(text);
  for (let i = 0; i + 1 < ch.length; i++) {
    if (!isLetter(ch[i]) || !isLetter(ch[i + 1]) || ch[i] === ch[i + 1]) continue;
    if (rng.next() < rate) {
      [ch[i], ch[i + 1]] = [ch[i + 1], ch[i]];
      i++;
    }
  }
  return ch.join('');
}

/** Each non-space character is, with probability `rate`, replaced by a random letter (half) or deleted (half). */
export function charNoise(text: string, rate: number, rng: Rng): string {
  let out = '';
  for (const c of text) {
    if (/\s/u.test(c) || rng.next() >= rate) {
      out += c;
      continue;
    }
    if (rng.next() < 0.5) out += LETTERS[rng.int(LETTERS.length)];
  }
  return out;
}

/** Drops each word with probability `rate`, keeping at least one so no text becomes empty. */
export function wordDrop(text: string, rate: number, rng: Rng): string {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return text;
  const kept = words.filter(() => rng.next() >= rate);
  return kept.length ? kept.join(' ') : words[rng.int(words.length)];
}

const APPLY: Record<PerturbationKind, (t: string, rate: number, rng: Rng) => string> = { typos, 'char-noise': charNoise, 'word-drop': wordDrop };

/**
 * Perturbs every text. Each text gets its own stream, seeded from (seed, kind, index), so a
 * text's perturbation does not change when the list is subset or reordered.
 */
export function perturbTexts(texts: string[], kind: PerturbationKind, opts: { seed: number; rate: number }): string[] {
  if (!(opts.rate >= 0 && opts.rate <= 1)) throw new RangeError(`perturbation rate must be in [0, 1], got ${opts.rate}`);
  const base = deriveSeed(opts.seed, kind);
  return texts.map((t, i) => APPLY[kind](t, opts.rate, new Rng(deriveSeed(base, String(i)))));
}

export interface RobustnessReport {
  n: number;
  seed: number;
  rate: number;
  clean: number;
  perturbations: { kind: PerturbationKind; accuracy: number; drop: number }[];
}

/** Accuracy on clean texts and on each perturbation; drop = clean - perturbed (positive = worse). */
export async function robustnessReport(
  estimator: Predictor,
  examples: { text: string; label: number }[],
  opts: { seed: number; rate: number; kinds?: readonly PerturbationKind[] },
): Promise<RobustnessReport> {
  const labels = examples.map((e) => e.label);
  const texts = examples.map((e) => e.text);
  const score = async (t: string[]) => accuracy(labels, (await estimator.predictProba(t)).map(argmax));
  const clean = await score(texts);
  const perturbations: RobustnessReport['perturbations'] = [];
  for (const kind of opts.kinds ?? PERTURBATIONS) {
    const acc = await score(perturbTexts(texts, kind, opts));
    perturbations.push({ kind, accuracy: acc, drop: clean - acc });
  }
  return { n: examples.length, seed: opts.seed, rate: opts.rate, clean, perturbations };
}
