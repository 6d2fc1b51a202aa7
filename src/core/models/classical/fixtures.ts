/**
 * A tiny hand-made three-topic corpus for unit tests: each class has its own vocabulary
 * (sports, markets, technology) plus shared filler words, so every model must separate it.
 */
import type { Example } from '../../data/types';

export const TOY_CLASSES = ['Sports', 'Business', 'Tech'];

const topics = [
  ['goal', 'match', 'team', 'coach', 'league', 'striker', 'season', 'cup'],
  ['stock', 'market', 'shares', 'profit', 'investors', 'earnings', 'bank', 'trading'],
  ['software', 'chip', 'internet', 'computer', 'processor', 'google', 'linux', 'browser'],
];
const filler = ['the', 'said', 'on', 'monday', 'new', 'report', 'after', 'week'];

/** n examples per class, deterministic (no randomness needed: index arithmetic). */
export function toyExamples(perClass: number, offset = 0): Example[] {
  const out: Example[] = [];
  for (let i = offset; i < offset + perClass; i++) {
    topics.forEach((words, label) => {
      const w = (k: number): string => words[(i * 3 + k * 5) % words.length];
      const f = (k: number): string => filler[(i + k * 3) % filler.length];
      out.push({ id: `toy:${label}:${i}`, label, text: `${f(0)} ${w(0)} ${f(1)} ${w(1)} ${w(2)} ${f(2)} ${w(3)}` });
    });
  }
  return out;
}

export function argmax(p: ArrayLike<number>): number {
  let b = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[b]) b = k;
  return b;
}
