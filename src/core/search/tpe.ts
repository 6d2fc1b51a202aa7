/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl 2011) with Optuna 5's
 * defaults, multivariate as Optuna's default for one objective. After `nStartup` finished trials
 * (complete or pruned) drawn at random, the finished trials are split: the best ceil(gamma·n) (at
 * most 25) are "good", complete trials first, then the pruned ones that got furthest; the rest are
 * "bad". A joint Parzen estimator is fitted to each group (parzen.ts), l(x) on the good and g(x)
 * on the bad, and of `nEi` candidates drawn from l the one with the largest l(x)/g(x), the
 * paper's expected-improvement criterion, is taken. Integers are sampled widened by half a step
 * and scored at the rounded value.
 */
import type { Rng } from '../util/random';
import { mixture, mixtureLogPdf, mixtureSample, type SettingObservations } from './parzen';
import { fromInternal, interval, randomSampler, toInternal } from './random';
import type { Dimension, Params } from './space';
import type { Sampler, Trial } from './trial';

export interface TpeOptions {
  /** Random trials before the model is used. Default 10. */
  nStartup?: number;
  /** Candidates drawn from l(x). Default 24. */
  nEi?: number;
  /** Share of trials counted as good. Default 0.1 (Optuna's). */
  gamma?: number;
  /** Weight of the prior in each estimator. Default 1. */
  priorWeight?: number;
}

/** How far a pruned trial got: its last step, then its value there (NaN last); higher is better. */
function prunedRank(a: Trial, b: Trial): number {
  const la = a.intermediate.at(-1);
  const lb = b.intermediate.at(-1);
  if (!la || !lb) return la ? -1 : lb ? 1 : 0;
  if (la.step !== lb.step) return lb.step - la.step;
  const va = Number.isNaN(la.value) ? -Infinity : la.value;
  const vb = Number.isNaN(lb.value) ? -Infinity : lb.value;
  return vb - va;
}

/** Finished trials split into the best ceil(gamma·n) (at most 25) and the rest, each in trial order (Optuna's _split_trials). */
export function splitTrials(history: readonly Trial[], gamma: number): { good: Trial[]; bad: Trial[] } {
  const complete = history.filter((t) => t.state === 'complete' && Number.isFinite(t.value)).sort((a, b) => b.value! - a.value! || a.number - b.number);
  const pruned = history.filter((t) => t.state === 'pruned').sort((a, b) => prunedRank(a, b) || a.number - b.number);
  let nGood = Math.min(Math.ceil(gamma * (complete.length + pruned.length)), 25);
  const good = complete.slice(0, nGood);
  nGood -= good.length;
  good.push(...pruned.slice(0, nGood));
  const goodSet = new Set(good);
  const byNumber = (a: Trial, b: Trial) => a.number - b.number;
  return { good: good.sort(byNumber), bad: [...complete, ...pruned].filter((t) => !goodSet.has(t)).sort(byNumber) };
}

/** The settings' internal values of `trials` (log space for log ranges, category index). */
function observations(dims: readonly Dimension[], trials: readonly Trial[]): SettingObservations[] {
  return dims.map((d): SettingObservations => {
    if (d.kind === 'categorical') {
      const keys = d.choices.map((c) => JSON.stringify(c));
      return { kind: 'categorical', choices: keys.length, indices: trials.map((t) => keys.indexOf(JSON.stringify(t.params[d.path]))) };
    }
    const [lo, hi] = interval(d);
    return { kind: 'numeric', lo, hi, values: trials.map((t) => toInternal(d, t.params[d.path] as number)) };
  });
}

export function tpeSampler(opts: TpeOptions = {}): Sampler {
  const o: Required<TpeOptions> = { nStartup: opts.nStartup ?? 10, nEi: opts.nEi ?? 24, gamma: opts.gamma ?? 0.1, priorWeight: opts.priorWeight ?? 1 };
  return {
    name: 'tpe',
    sample(dims, history, rng: Rng, number) {
      const finished = history.filter((t) => (t.state === 'complete' && Number.isFinite(t.value)) || t.state === 'pruned');
      if (finished.length < o.nStartup) return randomSampler.sample(dims, history, rng, number);
      // Trials from another space (a setting missing or off its list) cannot be placed: left out.
      const usable = (t: Trial) =>
        dims.every((d) => (d.kind === 'categorical' ? d.choices.some((c) => JSON.stringify(c) === JSON.stringify(t.params[d.path])) : typeof t.params[d.path] === 'number'));
      const { good, bad } = splitTrials(history.filter(usable), o.gamma);
      const l = mixture(observations(dims, good), good.length, o.priorWeight);
      const g = mixture(observations(dims, bad), bad.length, o.priorWeight);
      // Integers are scored where they will be tried, after rounding.
      const snap = (x: number[]) =>
        x.map((v, i) => {
          const d = dims[i];
          return d.kind === 'int' ? toInternal(d, fromInternal(d, v)) : v;
        });
      let best: number[] = [];
      let bestScore = -Infinity;
      for (let c = 0; c < o.nEi; c++) {
        const x = snap(mixtureSample(l, rng));
        const score = mixtureLogPdf(l, x) - mixtureLogPdf(g, x);
        if (score > bestScore) [best, bestScore] = [x, score];
      }
      return Object.fromEntries(dims.map((d, i) => [d.path, d.kind === 'categorical' ? d.choices[best[i]] : fromInternal(d, best[i])])) as Params;
    },
  };
}
