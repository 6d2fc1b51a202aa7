/** A two-topic toy dataset for the neural models' tests: separable by vocabulary alone. */
import type { Example } from '../../data/types';

const TOPICS = [
  ['match', 'goal', 'league', 'coach', 'season', 'striker'],
  ['shares', 'market', 'profit', 'stocks', 'investors', 'earnings'],
];

/** n short texts alternating between the topics (label = i % 2), words in a fixed pattern. */
export function toyTopics(n: number, offset = 0): Example[] {
  return Array.from({ length: n }, (_, i) => {
    const label = i % 2;
    const w = TOPICS[label];
    const j = i + offset;
    return { id: `t:${j}`, label, text: `${w[j % 6]} ${w[(j * 5 + 1) % 6]} the ${w[(j * 7 + 2) % 6]} today` };
  });
}
