/**
 * The smart selector: of the presets, those whose estimate fits the time and memory budget on
 * this device, ranked by the accuracy this project measured for them (measured-accuracy.ts;
 * unknown ones after, quickest first), each with why; the others with the reason they do not fit.
 */
import type { Recommendation, RecommendResult, RunEstimate } from '../lab/quota-api';
import { measuredAccuracy } from './measured-accuracy';

/** A preset as judged: its estimate, or why none could be made (a config the lab cannot read, a base it cannot reach). */
export interface JudgedPreset {
  preset: string;
  estimate?: RunEstimate;
  /** Why the preset cannot run here at all (a `file:` base in the page, an estimate that failed). */
  unavailable?: string;
}

export interface Budget {
  seconds: number;
  memoryBytes?: number;
}

const short = (e: RunEstimate): Recommendation['estimate'] => ({
  seconds: round(e.seconds, 1),
  peakBytes: Math.round(e.peakBytes),
  checkpointBytes: Math.round(e.checkpointBytes),
});

export function recommend(presets: JudgedPreset[], budget: Budget): RecommendResult {
  const fits: Recommendation[] = [];
  const rejected: RecommendResult['rejected'] = [];
  for (const p of presets) {
    const e = p.estimate;
    if (p.unavailable || !e) {
      rejected.push({ preset: p.preset, reason: p.unavailable ?? 'no estimate' });
      continue;
    }
    if (e.problems.length) {
      rejected.push({ preset: p.preset, reason: `refused by the guard: ${e.problems.join(' ')}`, estimate: short(e) });
      continue;
    }
    if (!(e.seconds <= budget.seconds)) {
      rejected.push({
        preset: p.preset,
        reason: `over time by ${duration(e.seconds - budget.seconds)}: about ${duration(e.seconds)} (${e.epochs} epoch${e.epochs === 1 ? '' : 's'} of ${e.trainExamples.toLocaleString('en')} examples) against a budget of ${duration(budget.seconds)}`,
        estimate: short(e),
      });
      continue;
    }
    if (budget.memoryBytes !== undefined && e.peakBytes > budget.memoryBytes) {
      rejected.push({ preset: p.preset, reason: `over memory: about ${bytes(e.peakBytes)} at its peak against ${bytes(budget.memoryBytes)}`, estimate: short(e) });
      continue;
    }
    const accuracy = measuredAccuracy(p.preset);
    fits.push({
      preset: p.preset,
      estimate: short(e),
      expectedAccuracy: accuracy,
      why:
        `fits: about ${duration(e.seconds)} of the ${duration(budget.seconds)} budget, ${bytes(e.peakBytes)} at its peak` +
        (budget.memoryBytes !== undefined ? ` of ${bytes(budget.memoryBytes)}` : '') +
        `; ${accuracy ? `accuracy ${(accuracy.value * 100).toFixed(2)}% (${accuracy.source})` : 'accuracy unknown: no measurement of this preset recorded, so it ranks below the measured ones'}`,
    });
  }
  const seconds = new Map(presets.map((p) => [p.preset, p.estimate?.seconds ?? Infinity]));
  fits.sort((a, b) => {
    const [x, y] = [a.expectedAccuracy?.value, b.expectedAccuracy?.value];
    if (x !== undefined && y !== undefined && x !== y) return y - x;
    if ((x === undefined) !== (y === undefined)) return x === undefined ? 1 : -1;
    return seconds.get(a.preset)! - seconds.get(b.preset)!;
  });
  return { recommendations: fits, rejected };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

export function duration(s: number): string {
  if (s < 90) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function bytes(b: number): string {
  if (b < 1024 ** 2) return `${Math.max(1, Math.round(b / 1024))} KiB`;
  if (b < 1024 ** 3) return `${Math.round(b / 1024 ** 2)} MiB`;
  return `${(b / 1024 ** 3).toFixed(1)} GiB`;
}
