/**
 * The Estimator for every classical preset: TF-IDF features, one linear head (NB, logistic
 * regression, linear SVM, SGD) and optional calibration on held-out folds.
 *
 * Calibration with cv folds (sklearn CalibratedClassifierCV semantics): by default
 * (`ensemble: true`) each fold's model is fitted on the other folds and calibrated on its own,
 * and predictions average the fold models' calibrated probabilities; this costs cv fits on
 * (cv-1)/cv of the data and no refit. With `ensemble: false` the calibrator is fitted on all
 * out-of-fold scores and one model is refitted on all data. The vectorizer is fitted once on
 * all training texts in both cases (as sklearn does when features are computed up front).
 */
import type { Example } from '../../data/types';
import type { Estimator, FitContext, FitSummary, ModelArtifact } from '../estimator';
import { TfidfVectorizer } from '../../features/tfidf';
import { selectRows, type CsrMatrix } from '../../features/sparse';
import { InputError } from '../../util/errors';
import { deriveSeed } from '../../util/random';
import { encodeClassical, type Member } from './artifact';
import { calibrateRow, fitCalibrator } from './calibration';
import { classWeights, sampleWeights } from './class-weights';
import { splitFold, stratifiedFolds } from './folds';
import { headFor, type Head } from './heads';
import { countNonZero, scoreMatrix, scoreRow, topByScore, type LinearModel, type TopFeature } from './linear';
import type { ClassicalConfig } from './registry';

export type { Member } from './artifact';

export class ClassicalEstimator implements Estimator {
  readonly family = 'classical' as const;
  readonly kind: string;
  readonly head: Head;
  vectorizer: TfidfVectorizer;
  members: Member[] = [];
  classes: string[] = [];
  /** Wall-clock split of the last fit: vectorizer vs model (benchmarks report both). */
  lastFitTimings = { featurizeSeconds: 0, fitSeconds: 0 };

  constructor(readonly config: ClassicalConfig) {
    this.kind = config.type;
    this.head = headFor(config);
    this.vectorizer = new TfidfVectorizer(config.vectorizer);
  }

  get fitted(): boolean {
    return this.members.length > 0;
  }

  async fit(train: Example[], ctx: FitContext): Promise<FitSummary> {
    if (train.length === 0) throw new InputError('No training examples');
    const K = ctx.classes.length;
    const y = Int32Array.from(train, (e) => e.label);
    for (const l of y) if (l < 0 || l >= K) throw new InputError(`Label ${l} is outside the ${K} classes`);
    this.classes = [...ctx.classes];
    this.vectorizer = new TfidfVectorizer(this.config.vectorizer);
    const opts = { signal: ctx.signal, onEvent: ctx.onEvent };
    const t0 = performance.now();
    const X = await this.vectorizer.fitTransform(
      train.map((e) => e.text),
      opts,
    );
    const t1 = performance.now();
    this.lastFitTimings = { featurizeSeconds: (t1 - t0) / 1000, fitSeconds: 0 };
    try {
      return await this.fitHead(X, y, K, ctx, opts);
    } finally {
      this.lastFitTimings.fitSeconds = (performance.now() - t1) / 1000;
    }
  }

  private async fitHead(X: CsrMatrix, y: Int32Array, K: number, ctx: FitContext, opts: { signal?: AbortSignal; onEvent?: FitContext['onEvent'] }): Promise<FitSummary> {
    const sw = sampleWeights(y, classWeights(y, K, this.config.classWeight));
    const cal = this.config.calibration;
    const seed = deriveSeed(ctx.seed, this.kind);
    const summary: FitSummary = { epochs: 0, steps: 0 };
    const note = (r: { epochs: number; steps: number; stoppedEarly?: string }): void => {
      summary.epochs = Math.max(summary.epochs, r.epochs);
      summary.steps += r.steps;
      if (r.stoppedEarly) summary.stoppedEarly = r.stoppedEarly;
    };
    if (cal.method === 'none') {
      const r = await this.head.fit(X, y, sw, K, seed, opts);
      note(r);
      this.members = [{ model: r.model, calibrator: null }];
      return summary;
    }
    const fold = stratifiedFolds(y, K, cal.cv, deriveSeed(seed, 'folds'));
    const members: Member[] = [];
    const oofScores = new Float64Array(y.length * K);
    for (let f = 0; f < cal.cv; f++) {
      ctx.onEvent?.({ type: 'phase', phase: 'calibration:fold', done: f, total: cal.cv });
      const { fit, heldOut } = splitFold(fold, f);
      const r = await this.head.fit(selectRows(X, fit), pick(y, fit), pick(sw, fit), K, deriveSeed(seed, `fold${f}`), opts);
      note(r);
      const s = scoreMatrix(r.model, selectRows(X, heldOut));
      if (cal.ensemble) members.push({ model: r.model, calibrator: fitCalibrator(cal.method, s, pick(y, heldOut), K) });
      else for (let i = 0; i < heldOut.length; i++) for (let k = 0; k < K; k++) oofScores[heldOut[i] * K + k] = s[i * K + k];
    }
    if (!cal.ensemble) {
      const r = await this.head.fit(X, y, sw, K, seed, opts);
      note(r);
      members.push({ model: r.model, calibrator: fitCalibrator(cal.method, oofScores, y, K) });
    }
    this.members = members;
    ctx.onEvent?.({ type: 'phase', phase: 'calibration:fold', done: cal.cv, total: cal.cv });
    return summary;
  }

  async predictProba(texts: string[]): Promise<Float32Array[]> {
    return this.probaOf(this.transform(texts));
  }

  /** TF-IDF rows of texts with the fitted vectorizer. */
  transform(texts: string[]): CsrMatrix {
    this.requireFitted();
    return this.vectorizer.transform(texts);
  }

  /** Probabilities of already vectorised rows (grid search and benches reuse features). */
  probaOf(X: CsrMatrix): Float32Array[] {
    this.requireFitted();
    const K = this.classes.length;
    const out: Float32Array[] = [];
    const s = new Float64Array(K);
    const p = new Float64Array(K);
    const avg = new Float64Array(K);
    const M = this.members.length;
    for (let i = 0; i < X.rows; i++) {
      avg.fill(0);
      for (const m of this.members) {
        scoreRow(m.model, X.indices, X.values, X.indptr[i], X.indptr[i + 1], s);
        if (m.calibrator) calibrateRow(m.calibrator, s, 0, K, p);
        else this.link(s, p, K);
        for (let k = 0; k < K; k++) avg[k] += p[k] / M;
      }
      out.push(Float32Array.from(avg));
    }
    return out;
  }

  /** Raw class scores of the first member (decision values / logits), row-major n * K. */
  decisionFunction(X: CsrMatrix): Float64Array {
    this.requireFitted();
    return scoreMatrix(this.members[0].model, X);
  }

  /** Highest-ranked features per class (averaged over fold members), for interpretation. */
  topFeatures(k = 20): { class: string; features: TopFeature[] }[] {
    this.requireFitted();
    const first = this.members[0].model;
    const rank = this.head.featureScore ?? ((m: LinearModel, j: number, c: number) => m.W[j * m.nClasses + c]);
    const score = (j: number, c: number): number => {
      let s = 0;
      for (const m of this.members) s += rank(m.model, j, c);
      return s / this.members.length;
    };
    const top = topByScore(first.nFeatures, first.nClasses, k, score, (j) => this.vectorizer.featureName(j));
    return top.map((features, c) => ({ class: this.classes[c], features }));
  }

  parameterCount(): number {
    return this.members.reduce((n, m) => n + countNonZero(m.model), 0);
  }

  async save(): Promise<ModelArtifact> {
    this.requireFitted();
    return encodeClassical({ config: this.config, classes: this.classes, vectorizer: this.vectorizer, members: this.members });
  }

  dispose(): void {
    this.members = [];
  }

  private link(s: Float64Array, p: Float64Array, K: number): void {
    if (this.head.link === 'huber') {
      // sklearn SGDClassifier(loss='modified_huber').predict_proba: (clip(s,-1,1)+1)/2, normalised.
      let sum = 0;
      for (let k = 0; k < K; k++) {
        p[k] = (Math.min(1, Math.max(-1, s[k])) + 1) / 2;
        sum += p[k];
      }
      for (let k = 0; k < K; k++) p[k] = sum > 0 ? p[k] / sum : 1 / K;
      return;
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, s[k]);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      p[k] = Math.exp(s[k] - max);
      sum += p[k];
    }
    for (let k = 0; k < K; k++) p[k] /= sum;
  }

  private requireFitted(): void {
    if (!this.fitted) throw new InputError(`${this.kind} is not fitted`);
  }
}

function pick<T extends Int32Array | Float64Array>(a: T, idx: Int32Array): T {
  const out = new (a.constructor as { new (n: number): T })(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}
