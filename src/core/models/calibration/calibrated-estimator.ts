/**
 * Calibration as a wrapper over any estimator (scikit-learn's CalibratedClassifierCV with a
 * held-out set): the wrapped model's log-probabilities on validation texts are the scores a
 * Platt, isotonic or temperature map is fitted to. The wrapped model is saved as the artifact's
 * one member, so any family can be calibrated without knowing how it stores itself.
 */
import type { Example } from '../../data/types';
import { InputError } from '../../util/errors';
import type { Estimator, FitContext, FitSummary, ModelArtifact } from '../estimator';
import { calibrateRow, fitCalibrator, type CalibrationMethod, type Calibrator } from './calibrator';

export const CALIBRATED_KIND = 'calibrated';

/** Log-probabilities as calibration scores: monotone in the probability, unbounded like logits. */
function logScores(probs: Float32Array[], K: number): Float64Array {
  const s = new Float64Array(probs.length * K);
  probs.forEach((p, i) => {
    for (let k = 0; k < K; k++) s[i * K + k] = Math.log(Math.max(p[k], 1e-12));
  });
  return s;
}

export class CalibratedEstimator implements Estimator {
  readonly kind = CALIBRATED_KIND;

  constructor(
    readonly base: Estimator,
    readonly method: Exclude<CalibrationMethod, 'none'>,
    private calibrator?: Calibrator,
  ) {}

  get family() {
    return this.base.family;
  }

  /** Fits the wrapped model on `train`, then the map on `ctx.validation` (which must not be empty). */
  async fit(train: Example[], ctx: FitContext): Promise<FitSummary> {
    if (!ctx.validation?.length) throw new InputError('A calibrated model needs validation examples to fit its calibration map on');
    const summary = await this.base.fit(train, ctx);
    await this.calibrate(ctx.validation, ctx.classes.length);
    return summary;
  }

  /** Fits only the map, for a wrapped model that is already trained (held-out examples it never saw). */
  async calibrate(heldOut: Example[], classes: number): Promise<void> {
    const probs = await this.base.predictProba(heldOut.map((e) => e.text));
    this.calibrator = fitCalibrator(
      this.method,
      logScores(probs, classes),
      Int32Array.from(heldOut, (e) => e.label),
      classes,
    );
  }

  async predictProba(texts: string[]): Promise<Float32Array[]> {
    const c = this.calibrator;
    if (!c) throw new InputError('The calibrated model is not fitted');
    const probs = await this.base.predictProba(texts);
    const K = probs[0]?.length ?? 0;
    const s = logScores(probs, K);
    const row = new Float64Array(K);
    return probs.map((_, i) => {
      calibrateRow(c, s, i * K, K, row);
      return Float32Array.from(row);
    });
  }

  async uncalibratedProba(texts: string[]): Promise<{ method: string; before: string; probs: Float32Array[] }> {
    return { method: this.method, before: `the wrapped ${this.base.kind} model's probabilities`, probs: await this.base.predictProba(texts) };
  }

  async save(): Promise<ModelArtifact> {
    if (!this.calibrator) throw new InputError('The calibrated model is not fitted');
    return { kind: CALIBRATED_KIND, meta: { method: this.method, calibrator: this.calibrator }, tensors: {}, members: [{ name: 'base', artifact: await this.base.save() }] };
  }

  /** Rebuilds the wrapper; `loadMember` (the registry's loadEstimator) rebuilds the wrapped model. */
  static load(artifact: ModelArtifact, loadMember: (a: ModelArtifact) => Estimator): CalibratedEstimator {
    const base = artifact.members?.[0]?.artifact;
    if (artifact.kind !== CALIBRATED_KIND || !base) throw new InputError(`Not a calibrated model artifact (kind "${artifact.kind}", ${artifact.members?.length ?? 0} members)`);
    const meta = artifact.meta as { method: Exclude<CalibrationMethod, 'none'>; calibrator: Calibrator };
    return new CalibratedEstimator(loadMember(base), meta.method, meta.calibrator);
  }

  parameterCount(): number {
    const c = this.calibrator;
    const own = !c ? 0 : c.method === 'temperature' ? 1 : c.method === 'sigmoid' ? 2 * c.perClass.length : c.perClass.reduce((n, f) => n + 2 * f.x.length, 0);
    return this.base.parameterCount() + own;
  }

  dispose(): void {
    this.base.dispose();
  }
}
