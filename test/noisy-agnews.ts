/**
 * A small four-class corpus in the AG News layout for lab tests: each text mixes words of its
 * class, words of another class and words every class uses, so members differ and err (an
 * ensemble has something to combine, a cascade something to escalate). Seeded: the same call
 * gives the same files.
 */
const enc = new TextEncoder();

const WORDS = [
  ['war', 'minister', 'election', 'troops', 'embassy', 'rebels'],
  ['match', 'goal', 'league', 'coach', 'season', 'striker'],
  ['shares', 'market', 'profit', 'stocks', 'merger', 'earnings'],
  ['software', 'chip', 'internet', 'computer', 'browser', 'robot'],
];
const SHARED = ['today', 'report', 'new', 'says', 'week', 'after', 'plans', 'talks'];

export interface NoisyOptions {
  /** Rows that go to test.csv (the last ones). */
  test: number;
  seed: number;
  /** How many of the shared words are in use (at most 8). */
  sharedWords?: number;
}

export function noisyAgNewsFiles(n: number, o: NoisyOptions) {
  let s = o.seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const shared = SHARED.slice(0, o.sharedWords ?? SHARED.length);
  const rows = Array.from({ length: n }, (_, i) => {
    const k = i % 4;
    const words = Array.from({ length: 6 }, () => {
      const r = rand();
      return r < 0.35 ? pick(WORDS[k]) : r < 0.55 ? pick(WORDS[(k + 1 + Math.floor(rand() * 3)) % 4]) : pick(shared);
    });
    return `"${k + 1}","${words.slice(0, 3).join(' ')}","${words.slice(3).join(' ')} ${i}"`;
  });
  return [
    { name: 'train.csv', bytes: enc.encode(rows.slice(0, n - o.test).join('\n')) },
    { name: 'test.csv', bytes: enc.encode(rows.slice(n - o.test).join('\n')) },
    { name: 'classes.txt', bytes: enc.encode('World\nSports\nBusiness\nSci/Tech\n') },
  ];
}
