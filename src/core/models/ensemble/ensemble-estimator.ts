/**
 * An ensemble as an Estimator: member models (loaded from their own runs) whose probabilities
 * a fitted combiner merges. Its artifact stores only the combiner and references to the member
 * runs, never copies of their weights; loading takes a resolver that turns a reference into a
 * loaded Estimator (the lab reads the member run's checkpoint). The ensemble owns the members it
 * was given or resolved, and disposes them with itself.
 */
import type { Example } from '../../data/types';
import { InputError } from '../../util/errors';
import type { ArtifactMember, AssetRef, Estimator, FitContext, FitSummary, ModelArtifact, TokenAttribution } from '../estimator';
import { applyCombiner, fitCombiner, type CombinerFit, type FittedCombiner } from './combiner';
import { ENSEMBLE_KIND, parseEnsembleConfig, runRef, type EnsembleConfig } from './config';
import { weightedAttribution } from './explain';
import { outOfFoldProbabilities } from './out-of-fold';

/** Turns a member reference (e.g. `run:<id>`) into a loaded, fitted estimator. */
export type MemberResolver = (ref: AssetRef, name: string) => Promise<Estimator>;

interface Slot {
  name: string;
  ref: AssetRef;
  estimator?: Estimator;
}

/** What fitting reported, kept in the artifact for the run's record. */
export interface EnsembleFitReport {
  validationAccuracy: number;
  heldOutAccuracy?: number;
  selection?: CombinerFit['selection'];
}

export class EnsembleEstimator implements Estimator {
  readonly kind = ENSEMBLE_KIND;
  readonly family = 'ensemble' as const;
  readonly config: EnsembleConfig;
  private slots: Slot[];
  combiner?: FittedCombiner;
  report?: EnsembleFitReport;
  /**
   * For stacking: a fresh, unfitted estimator with a member's config, for the k-fold re-fits on
   * train. Members whose config cannot be re-fitted (imported models) make stacking unavailable.
   */
  refit?: (name: string) => Estimator;
  /** The members' validation rows the combiner was fitted on (this session only, never saved): the run's diversity report reads them. */
  fittedOn?: { rows: Float32Array[][]; labels: Int32Array };

  constructor(config: EnsembleConfig | unknown, combiner?: FittedCombiner, report?: EnsembleFitReport) {
    this.config = parseEnsembleConfig(config);
    this.slots = this.config.members.map((id) => ({ name: id, ref: runRef(id) }));
    this.combiner = combiner;
    this.report = report;
  }

  /** Member names (run ids), in config order. */
  get memberNames(): string[] {
    return this.slots.map((s) => s.name);
  }

  /** Gives an already-loaded member (the caller hands over ownership). */
  setMember(name: string, estimator: Estimator): void {
    const slot = this.slots.find((s) => s.name === name);
    if (!slot) throw new InputError(`"${name}" is not a member of this ensemble (${this.memberNames.join(', ')})`);
    slot.estimator = estimator;
  }

  /** Loads every member not yet given, through `resolve`. */
  async resolveMembers(resolve: MemberResolver): Promise<void> {
    for (const s of this.slots) if (!s.estimator) s.estimator = await resolve(s.ref, s.name);
  }

  private members(indices: readonly number[]): Estimator[] {
    return indices.map((j) => {
      const e = this.slots[j].estimator;
      if (!e) throw new InputError(`Ensemble member "${this.slots[j].name}" is not loaded: resolve the members first`);
      return e;
    });
  }

  /** Rows for every slot; slots outside `use` get no rows (the combiner never reads them). */
  private async memberProbs(use: readonly number[], texts: string[]): Promise<Float32Array[][]> {
    const est = this.members(use);
    const rows: Float32Array[][] = this.slots.map(() => []);
    for (let u = 0; u < use.length; u++) rows[use[u]] = await est[u].predictProba(texts);
    return rows;
  }

  /**
   * Fits the combiner on `ctx.validation` (members are already trained and are not re-fitted).
   * Stacking also re-fits each member's config k times on `train` for out-of-fold rows.
   */
  async fit(train: Example[], ctx: FitContext): Promise<FitSummary> {
    const validation = ctx.validation;
    if (!validation?.length) throw new InputError('An ensemble is fitted on validation predictions: give validation examples');
    const all = this.slots.map((_, j) => j);
    const valRows = await this.memberProbs(
      all,
      validation.map((e) => e.text),
    );
    const labels = Int32Array.from(validation, (e) => e.label);
    let outOfFold: { members: Float32Array[][]; labels: Int32Array } | undefined;
    if (this.config.method === 'stacking') {
      const refit = this.refit;
      if (!refit) throw new InputError("Stacking re-fits each member on folds of train: set refit (a factory from each member's config)");
      const members: Float32Array[][] = [];
      const k = this.config.folds;
      for (const [j, s] of this.slots.entries()) {
        const onFold = (f: number) => ctx.onEvent?.({ type: 'phase', phase: `Stacking: re-fitting ${s.name} on folds of train`, done: j * k + f, total: this.slots.length * k });
        onFold(0);
        members.push(await outOfFoldProbabilities(() => refit(s.name), train, k, ctx.seed, { classes: ctx.classes, signal: ctx.signal, onFold }));
      }
      outOfFold = { members, labels: Int32Array.from(train, (e) => e.label) };
    }
    const sel = this.config.select;
    const fit = await fitCombiner(this.config.method, valRows, labels, {
      seed: ctx.seed,
      calibrate: this.config.calibrate,
      select: sel && { iterations: sel.iterations, metric: sel.metric, ...(sel.size !== undefined ? { maxMembers: sel.size } : {}) },
      outOfFold,
      blendFitShare: this.config.blendFitShare,
      C: this.config.C,
    });
    this.combiner = fit.combiner;
    this.fittedOn = { rows: valRows, labels };
    this.report = {
      validationAccuracy: fit.validationAccuracy,
      ...(fit.heldOutAccuracy !== undefined ? { heldOutAccuracy: fit.heldOutAccuracy } : {}),
      ...(fit.selection ? { selection: fit.selection } : {}),
    };
    return { epochs: 1, steps: 1 };
  }

  private fitted(): FittedCombiner {
    if (!this.combiner) throw new InputError('The ensemble is not fitted');
    return this.combiner;
  }

  async predictProba(texts: string[]): Promise<Float32Array[]> {
    const c = this.fitted();
    if (texts.length === 0) return [];
    return applyCombiner(c, await this.memberProbs(c.use, texts));
  }

  /** Each member's weight in the combination (1 / members for a meta-learner, which has no single weight). */
  memberWeights(): number[] {
    const c = this.fitted();
    const w = new Array<number>(this.slots.length).fill(0);
    const own = 'weights' in c ? c.weights : c.use.map(() => 1);
    const total = own.reduce((a, b) => a + b, 0);
    c.use.forEach((j, u) => (w[j] = own[u] / total));
    return w;
  }

  async uncalibratedProba(texts: string[]): Promise<{ method: string; before: string; probs: Float32Array[] } | null> {
    const c = this.fitted();
    if (!c.calibration) return null;
    const raw = applyCombiner({ ...c, calibration: undefined }, await this.memberProbs(c.use, texts));
    return { method: c.calibration.method, before: `the ${c.method} combination of the members`, probs: raw };
  }

  /** Members' attributions weighted by their share in the ensemble, over the members that can explain. */
  async explain(text: string, target?: number): Promise<TokenAttribution> {
    const w = this.memberWeights();
    const probs = Array.from((await this.predictProba([text]))[0]);
    const cls = target ?? probs.indexOf(Math.max(...probs));
    const parts: { weight: number; attribution: TokenAttribution; name: string }[] = [];
    for (let j = 0; j < this.slots.length; j++) {
      const e = this.slots[j].estimator;
      if (w[j] > 0 && e?.explain) parts.push({ weight: w[j], attribution: await e.explain(text, cls), name: this.slots[j].name });
    }
    if (parts.length === 0) throw new InputError("None of this ensemble's members can explain a prediction");
    return weightedAttribution(parts, cls, probs);
  }

  async save(): Promise<ModelArtifact> {
    const c = this.fitted();
    const w = this.memberWeights();
    const members: ArtifactMember[] = this.slots.map((s, j) => ({ name: s.name, ref: s.ref, weight: w[j] }));
    return { kind: ENSEMBLE_KIND, meta: { config: this.config, combiner: c, report: this.report }, tensors: {}, members };
  }

  /** The ensemble with its combiner, members unresolved (see resolveMembers / loadEnsemble). */
  static load(artifact: ModelArtifact): EnsembleEstimator {
    if (artifact.kind !== ENSEMBLE_KIND) throw new InputError(`Not an ensemble artifact (kind "${artifact.kind}")`);
    const meta = artifact.meta as { config: EnsembleConfig; combiner: FittedCombiner; report?: EnsembleFitReport };
    const e = new EnsembleEstimator(meta.config, meta.combiner, meta.report);
    const names = (artifact.members ?? []).map((m) => m.name);
    if (names.join('\n') !== e.memberNames.join('\n'))
      throw new InputError(`The ensemble artifact's members (${names.join(', ')}) do not match its config (${e.memberNames.join(', ')})`);
    artifact.members!.forEach((m, j) => {
      if (m.ref) e.slots[j].ref = m.ref;
    });
    return e;
  }

  parameterCount(): number {
    const c = this.fitted();
    const own = 'meta' in c ? c.meta.W.length + c.meta.b.length : c.weights.length;
    return own + this.members(c.use).reduce((n, m) => n + m.parameterCount(), 0);
  }

  dispose(): void {
    for (const s of this.slots) {
      s.estimator?.dispose();
      s.estimator = undefined;
    }
  }
}

/** Loads an ensemble artifact and its members through `resolve`. */
export async function loadEnsemble(artifact: ModelArtifact, resolve: MemberResolver): Promise<EnsembleEstimator> {
  const e = EnsembleEstimator.load(artifact);
  await e.resolveMembers(resolve);
  return e;
}
