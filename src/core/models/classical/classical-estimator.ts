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
 *
 * Blending heads (the SVM with `blend`) fit one model per analyzer block; the out-of-fold
 * scores of the calibration folds then choose the blocks' weights, and each member is the
 * weighted sum of its parts: one linear model, scored in one pass like any other.
 */
import type { Example } from '../../data/types';
import type { Estimator, FitContext, FitSummary, ModelArtifact } from '../estimator';
import { TfidfVectorizer } from '../../features/tfidf';
import { columnSlice, selectRows, type CsrMatrix } from '../../features/sparse';
import { InputError } from '../../util/errors';
import { deriveSeed } from '../../util/random';
import { encodeClassical, type Member } from './artifact';
import { calibrateRow, fitCalibrator } from '../calibration/calibrator';
import { classWeights, sampleWeights } from './class-weights';
import { splitFold, stratifiedFolds } from '../selection/folds';
import { blendScores, chooseBlendWeight, pairWeights, placeBlocks } from './blend';
import { headFor, type Head } from './heads';
import { countNonZero, scoreMatrix, scoreRow, topByScore, type LinearModel, type TopFeature } from './linear';
import type { ClassicalConfig } from './config';

export type { Member } from './artifact';

export class ClassicalEstimator implements Estimator {
  readonly family = 'classical' as const;
  readonly kind: string;
  readonly head: Head;
  vectorizer: TfidfVectorizer;
  members: Member[] = [];
  classes: string[] = [];
  /** Word block's share of a blended head's score (null: the head fits one model). */
  blendWeight: number | null = null;
  private rowCols = new Int32Array(0);
  private rowVals = new Float32Array(0);
  /** Scores, probabilities and their mean for one row (3 * K). */
  private scratch = new Float64Array(0);
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
    // A blending head sees each analyzer block as its own matrix; other heads see all of X.
    const blocks = this.vectorizer.blocks();
    const blockwise = this.head.fitBlocks !== undefined && blocks.length === 2;
    const Xs = blockwise ? blocks.map((c) => columnSlice(X, c.from, c.to)) : [X];
    const offsets = blockwise ? blocks.map((c) => c.from) : [0];
    const fitParts = async (rows: Int32Array | null, s: number): Promise<LinearModel[]> => {
      const Xr = rows ? Xs.map((m) => selectRows(m, rows)) : Xs;
      const yr = rows ? pick(y, rows) : y;
      const swr = rows ? pick(sw, rows) : sw;
      if (blockwise) {
        const r = await this.head.fitBlocks!(Xr, yr, swr, K, s, opts);
        note(r);
        return r.parts;
      }
      const r = await this.head.fit(Xr[0], yr, swr, K, s, opts);
      note(r);
      return [r.model];
    };
    const fixed = this.head.blendWeight ?? null;
    const place = (parts: LinearModel[], weights: number[]): LinearModel => placeBlocks(parts, weights, offsets, X.cols);
    if (cal.method === 'none') {
      this.blendWeight = blockwise ? (fixed ?? 0.5) : null;
      this.members = [{ model: place(await fitParts(null, seed), blockwise ? pairWeights(this.blendWeight!) : [1]), calibrator: null }];
      return summary;
    }
    const fold = stratifiedFolds(y, K, cal.cv, deriveSeed(seed, 'folds'));
    const oof = Xs.map(() => new Float64Array(y.length * K));
    const folds: { parts: LinearModel[]; heldOut: Int32Array }[] = [];
    for (let f = 0; f < cal.cv; f++) {
      ctx.onEvent?.({ type: 'phase', phase: 'calibration:fold', done: f, total: cal.cv });
      const { fit, heldOut } = splitFold(fold, f);
      const parts = await fitParts(fit, deriveSeed(seed, `fold${f}`));
      parts.forEach((m, p) => {
        const s = scoreMatrix(m, selectRows(Xs[p], heldOut));
        for (let i = 0; i < heldOut.length; i++) for (let k = 0; k < K; k++) oof[p][heldOut[i] * K + k] = s[i * K + k];
      });
      folds.push({ parts, heldOut });
    }
    // The blend weight needs every fold's scores, so members are built after the loop.
    this.blendWeight = blockwise ? (fixed ?? chooseBlendWeight([oof[0], oof[1]], y, K, cal.method)) : null;
    const weights = blockwise ? pairWeights(this.blendWeight!) : [1];
    const scores = blendScores(oof, weights);
    const members: Member[] = [];
    if (cal.ensemble) {
      for (const { parts, heldOut } of folds) {
        const s = new Float64Array(heldOut.length * K);
        for (let i = 0; i < heldOut.length; i++) for (let k = 0; k < K; k++) s[i * K + k] = scores[heldOut[i] * K + k];
        members.push({ model: place(parts, weights), calibrator: fitCalibrator(cal.method, s, pick(y, heldOut), K) });
      }
    } else {
      const parts = await fitParts(null, seed);
      members.push({ model: place(parts, weights), calibrator: fitCalibrator(cal.method, scores, y, K) });
    }
    this.members = members;
    ctx.onEvent?.({ type: 'phase', phase: 'calibration:fold', done: cal.cv, total: cal.cv });
    return summary;
  }

  /**
   * Text by text: each row is weighted into scratch buffers and scored at once, so no sparse
   * matrix is built (probabilities are identical to probaOf(transform(texts))).
   */
  async predictProba(texts: string[]): Promise<Float32Array[]> {
    return this.textProba(texts, true);
  }

  private textProba(texts: string[], calibrated: boolean): Float32Array[] {
    this.requireFitted();
    const d = this.vectorizer.numFeatures;
    if (this.rowCols.length < d) {
      this.rowCols = new Int32Array(d);
      this.rowVals = new Float32Array(d);
    }
    const out: Float32Array[] = [];
    for (const text of texts) {
      const nt = this.vectorizer.rowInto(text, this.rowCols, this.rowVals);
      out.push(this.rowProba(this.rowCols, this.rowVals, 0, nt, calibrated));
    }
    return out;
  }

  /** TF-IDF rows of texts with the fitted vectorizer. */
  transform(texts: string[]): CsrMatrix {
    this.requireFitted();
    return this.vectorizer.transform(texts);
  }

  /** Probabilities of already vectorised rows (grid search and benches reuse features). */
  probaOf(X: CsrMatrix): Float32Array[] {
    this.requireFitted();
    const out: Float32Array[] = [];
    for (let i = 0; i < X.rows; i++) out.push(this.rowProba(X.indices, X.values, X.indptr[i], X.indptr[i + 1]));
    return out;
  }

  /**
   * The members' linked scores without their calibrators: a softmax of the scores, or the
   * modified-Huber map for SGD. For an SVM that softmax is of raw margins, an arbitrary scale,
   * so "before" shows what using the scores as probabilities would give. Null when the members
   * carry no calibrator.
   */
  async uncalibratedProba(texts: string[]): Promise<{ method: string; before: string; probs: Float32Array[] } | null> {
    this.requireFitted();
    const cal = this.members[0].calibrator;
    if (!cal) return null;
    const before = this.head.link === 'huber' ? 'modified-Huber map of the scores' : 'softmax of the scores';
    return { method: cal.method, before, probs: this.textProba(texts, false) };
  }

  /** Mean calibrated (or linked) probabilities of the members for one sparse row. */
  private rowProba(indices: Int32Array, values: Float32Array, from: number, to: number, calibrated = true): Float32Array {
    const K = this.classes.length;
    if (this.scratch.length !== 3 * K) this.scratch = new Float64Array(3 * K);
    const s = this.scratch.subarray(0, K);
    const p = this.scratch.subarray(K, 2 * K);
    const avg = this.scratch.subarray(2 * K);
    avg.fill(0);
    const M = this.members.length;
    for (const m of this.members) {
      scoreRow(m.model, indices, values, from, to, s);
      if (m.calibrator && calibrated) calibrateRow(m.calibrator, s, 0, K, p);
      else this.link(s, p, K);
      for (let k = 0; k < K; k++) avg[k] += p[k] / M;
    }
    return Float32Array.from(avg);
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
