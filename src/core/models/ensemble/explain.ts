/**
 * An ensemble's explanation: its members' token attributions, weighted by each member's share.
 * Members may tokenise differently (word pieces, n-grams), so scores are aligned by token text:
 * the reference tokens are those of the heaviest member, and another member's score for a token
 * text is spread evenly over the reference positions holding that text. Tokens a member saw but
 * the reference did not are left out (and named in `method`).
 */
import type { TokenAttribution } from '../estimator';

export interface WeightedPart {
  name: string;
  weight: number;
  attribution: TokenAttribution;
}

export function weightedAttribution(parts: readonly WeightedPart[], target: number, probs: number[]): TokenAttribution {
  const ordered = [...parts].sort((a, b) => b.weight - a.weight);
  const ref = ordered[0].attribution.tokens;
  const total = ordered.reduce((s, p) => s + p.weight, 0);
  const scores = new Array<number>(ref.length).fill(0);
  const positions = new Map<string, number[]>();
  ref.forEach((t, i) => positions.set(t, [...(positions.get(t) ?? []), i]));
  let unmatched = 0;
  for (const p of ordered) {
    const w = p.weight / total;
    const a = p.attribution;
    if (a.tokens.length === ref.length && a.tokens.every((t, i) => t === ref[i])) {
      a.scores.forEach((s, i) => (scores[i] += w * s));
      continue;
    }
    a.tokens.forEach((t, i) => {
      const at = positions.get(t);
      if (!at) return void unmatched++;
      for (const r of at) scores[r] += (w * a.scores[i]) / at.length;
    });
  }
  const names = ordered.map((p) => `${p.name} (${p.attribution.method}, weight ${(p.weight / total).toFixed(3)})`).join(', ');
  return { tokens: [...ref], scores, target, probs, method: `weighted members: ${names}${unmatched ? `; ${unmatched} member tokens without a match left out` : ''}` };
}
