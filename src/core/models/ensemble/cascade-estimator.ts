/**
 * A cascade as an Estimator: a text goes to the next member only while the current one's top
 * probability is under its threshold, so most texts pay for the cheap model alone. Thresholds
 * are chosen on validation (cascade.ts) inside the `ensemble-weighting` phase. Like an
 * ensemble, its artifact keeps the thresholds and references to the member runs, and it owns
 * the members it is given or resolves.
 */
import type { Example } from '../../data/types';
import { withPhase } from '../../guard/phase';
import { InputError } from '../../util/errors';
import type { AssetRef, Estimator, FitContext, FitSummary, ModelArtifact } from '../estimator';
import { chooseThresholds, type CascadeChoice } from './cascade';
import { CASCADE_KIND, cascadeSchema, runRef, type CascadeConfig } from './config';
import type { MemberResolver } from './ensemble-estimator';
import { argmaxRow } from './probs';

export class CascadeEstimator implements Estimator {
  readonly kind = CASCADE_KIND;
  readonly family = 'ensemble' as const;
  readonly config: CascadeConfig;
  private refs: AssetRef[];
  private stages: (Estimator | undefined)[];
  /** One per member but the last; null skips a member. */
  thresholds?: (number | null)[];
  /** The validation figures behind the thresholds (coverage, curve), for the run's record. */
  choice?: CascadeChoice;
  /** The members' validation rows the thresholds were chosen on (this session only, never saved). */
  fittedOn?: { rows: Float32Array[][]; labels: Int32Array };

  constructor(config: CascadeConfig | unknown, thresholds?: (number | null)[]) {
    this.config = cascadeSchema.parse(config);
    this.refs = this.config.members.map(runRef);
    this.stages = this.config.members.map(() => undefined);
    this.thresholds = thresholds;
  }

  setMember(name: string, estimator: Estimator): void {
    const j = this.config.members.indexOf(name);
    if (j < 0) throw new InputError(`"${name}" is not a member of this cascade`);
    this.stages[j] = estimator;
  }

  async resolveMembers(resolve: MemberResolver): Promise<void> {
    for (let j = 0; j < this.stages.length; j++) this.stages[j] ??= await resolve(this.refs[j], this.config.members[j]);
  }

  private stage(j: number): Estimator {
    const e = this.stages[j];
    if (!e) throw new InputError(`Cascade member "${this.config.members[j]}" is not loaded: resolve the members first`);
    return e;
  }

  /** Chooses the thresholds on `ctx.validation`; members are not re-fitted. */
  async fit(_train: Example[], ctx: FitContext): Promise<FitSummary> {
    const validation = ctx.validation;
    if (!validation?.length) throw new InputError('A cascade chooses its thresholds on validation predictions: give validation examples');
    const texts = validation.map((e) => e.text);
    const probs: Float32Array[][] = [];
    for (let j = 0; j < this.stages.length; j++) probs.push(await this.stage(j).predictProba(texts));
    const labels = Int32Array.from(validation, (e) => e.label);
    const stages = probs.map((p, j) => ({ name: this.config.members[j], probs: p, secondsPer1000: this.config.secondsPer1000[j] }));
    this.choice = await withPhase('ensemble-weighting', () => chooseThresholds(stages, labels, this.config.target));
    this.thresholds = this.choice.chosen.thresholds;
    this.fittedOn = { rows: probs, labels };
    return { epochs: 1, steps: 1 };
  }

  /** Each text's answer from the first member sure enough of it (the last member answers the rest). */
  async predictProba(texts: string[]): Promise<Float32Array[]> {
    const t = this.thresholds;
    if (!t) throw new InputError('The cascade is not fitted');
    const out = new Array<Float32Array>(texts.length);
    let pending = texts.map((_, i) => i);
    for (let j = 0; j < this.stages.length && pending.length; j++) {
      const last = j === this.stages.length - 1;
      if (!last && t[j] === null) continue;
      const probs = await this.stage(j).predictProba(pending.map((i) => texts[i]));
      const next: number[] = [];
      pending.forEach((i, r) => {
        if (last || probs[r][argmaxRow(probs[r])] >= t[j]!) out[i] = probs[r];
        else next.push(i);
      });
      pending = next;
    }
    return out;
  }

  async save(): Promise<ModelArtifact> {
    if (!this.thresholds) throw new InputError('The cascade is not fitted');
    return {
      kind: CASCADE_KIND,
      meta: { config: this.config, thresholds: this.thresholds, choice: this.choice },
      tensors: {},
      members: this.config.members.map((name, j) => ({ name, ref: this.refs[j] })),
    };
  }

  static load(artifact: ModelArtifact): CascadeEstimator {
    if (artifact.kind !== CASCADE_KIND) throw new InputError(`Not a cascade artifact (kind "${artifact.kind}")`);
    const meta = artifact.meta as { config: CascadeConfig; thresholds: (number | null)[]; choice?: CascadeEstimator['choice'] };
    const c = new CascadeEstimator(meta.config, meta.thresholds);
    c.choice = meta.choice;
    (artifact.members ?? []).forEach((m, j) => {
      if (m.name !== c.config.members[j]) throw new InputError(`Cascade artifact member ${j} is "${m.name}", its config says "${c.config.members[j]}"`);
      if (m.ref) c.refs[j] = m.ref;
    });
    return c;
  }

  parameterCount(): number {
    return this.stages.reduce((n, _, j) => n + this.stage(j).parameterCount(), (this.thresholds ?? []).length);
  }

  dispose(): void {
    this.stages.forEach((s) => s?.dispose());
    this.stages = this.stages.map(() => undefined);
  }
}
