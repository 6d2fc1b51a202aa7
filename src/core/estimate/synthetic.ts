/**
 * A seeded corpus shaped like AG News (no file read): four classes, titles plus descriptions of
 * 25 to 60 tokens, words drawn from a Zipf-distributed vocabulary of pronounceable pseudo-words
 * with a share of class-specific topic words, some punctuation and an HTML entity now and then.
 * The plain-TypeScript trainers are timed on it: their cost follows the number of texts, tokens
 * and distinct n-grams, which this corpus reproduces, not the meaning of the words.
 */
import type { Example } from '../data/types';
import { Rng } from '../util/random';

const SYLLABLES = ['ba', 'ko', 'ri', 'ten', 'mar', 'lo', 'sa', 'vel', 'dra', 'pin', 'shu', 'ge', 'tor', 'ne', 'qua', 'fi', 'mon', 'ex', 'lu', 'stra', 'cor', 'de', 'im', 'pha'];
export const SYNTHETIC_VOCABULARY = 40_000;
const TOPIC_WORDS = 1_500;
const NOISE = 0.25;
/** Changes whenever the corpus does, so rates timed on an older one are measured again. */
export const SYNTHETIC_VERSION = 2;
const PUNCTUATION = [',', '.', "'s", '-', '(', ')', '&lt;b&gt;', '#39;'];

function pseudoWord(i: number): string {
  let s = '';
  let n = i + 1;
  while (n > 0) {
    s += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return s;
}

/** `n` labelled texts, the same for the same seed; labels cycle so every class is present. */
export function syntheticCorpus(n: number, seed = 7, classes = 4): Example[] {
  const rng = new Rng(seed);
  const words = Array.from({ length: SYNTHETIC_VOCABULARY }, (_, i) => pseudoWord(i));
  // Zipf's law (exponent 1): rank r is drawn with probability ~1/r, by inverting its cumulative sum ~ln r.
  const zipf = () => Math.min(SYNTHETIC_VOCABULARY - 1, Math.floor(Math.exp(rng.next() * Math.log(SYNTHETIC_VOCABULARY))) - 1);
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    // A quarter of the texts take their topic words from another class: real news overlaps, and a
    // separable corpus would let iterative solvers (L-BFGS, SGD with a tolerance) stop far sooner than on real data.
    const topic = rng.next() < NOISE ? rng.int(classes) : label;
    const length = 25 + rng.int(36);
    const tokens: string[] = [];
    for (let t = 0; t < length; t++) {
      const r = rng.next();
      if (r < 0.25) tokens.push(words[SYNTHETIC_VOCABULARY - 1 - (topic * TOPIC_WORDS + rng.int(TOPIC_WORDS))]);
      else if (r < 0.33) tokens.push(PUNCTUATION[rng.int(PUNCTUATION.length)]);
      else tokens.push(words[Math.max(0, zipf())]);
    }
    if (rng.next() < 0.3) tokens[0] = tokens[0][0].toUpperCase() + tokens[0].slice(1);
    out.push({ id: `synthetic:${i}`, text: tokens.join(' '), label });
  }
  return out;
}
