/**
 * A config's techniques checked against the model, the optimizer and the fit's inputs, and
 * resolved into what the loop applies. Combinations that cannot work are refused before any
 * training with a ConfigError naming the fields.
 */
import { ConfigError } from '../../util/errors';
import type { AdversarialConfig, CurriculumConfig, Techniques } from './config';
import { resolveClassWeights } from './losses';

const FIELD = 'model.train.techniques';

/** What a network offers the techniques (see Network in ../network.ts). */
export interface TechniqueHost {
  embed?: unknown;
  pool?: unknown;
  head?: unknown;
  dropoutRate?: number;
}

export interface TechniquePlan {
  adversarial?: AdversarialConfig;
  rdrop?: { alpha: number };
  mixup?: { alpha: number };
  /** The hard-label term's focal exponent and per-class weights (LossOptions). */
  gamma: number;
  classWeights?: number[];
  normalize: 'weights' | 'count';
  curriculum?: CurriculumConfig;
  /** Whether a step needs the model's embed/pool/head cut rather than its plain logits. */
  split: boolean;
}

/** The names of the techniques a config switches on, as config paths (for messages). */
export function activeTechniques(t: Techniques | undefined): string[] {
  if (!t) return [];
  return (Object.keys(t) as (keyof Techniques)[]).filter((k) => t[k] !== null && t[k] !== undefined).map((k) => `${FIELD}.${k}`);
}

export interface PlanInputs {
  optimizer: string;
  /** Labels of the training examples ('balanced' weights) and the class count. */
  labels: ArrayLike<number>;
  classes: number;
  /** Distillation's weight of the hard-label term, when a teacher is given. */
  distillAlpha?: number;
  /** A previous run's loss per training example (curriculum score 'loss'). */
  difficulty?: ArrayLike<number>;
}

export function planTechniques(t: Techniques | undefined, host: TechniqueHost, inp: PlanInputs): TechniquePlan {
  const plan: TechniquePlan = { gamma: 0, normalize: 'weights', split: false };
  if (!t) return plan;
  const dense = [t.adversarial && `${FIELD}.adversarial`, t.rdrop && `${FIELD}.rdrop`, t.mixup && `${FIELD}.mixup`].filter((x): x is string => !!x);
  if (dense.length && inp.optimizer === 'sparse-adam')
    throw new ConfigError(
      `${dense.join(', ')} need${dense.length > 1 ? '' : 's'} dense gradients through the embedding output; optimizer "sparse-adam" updates only the rows a batch uses: set model.train.optimizer to "adam"`,
    );
  if (dense.length && !(host.embed && host.pool && host.head))
    throw new ConfigError(`${dense.join(', ')}: this model does not expose its embedding output and pooled representation`);
  if (t.rdrop && !(host.dropoutRate && host.dropoutRate > 0))
    throw new ConfigError(`${FIELD}.rdrop compares two dropout passes, and this model has no dropout: set model.dropout above 0 or remove rdrop`);
  if (t.focal?.alpha && t.classWeights) throw new ConfigError(`${FIELD}.focal.alpha and ${FIELD}.classWeights both weight the classes: set one of them`);
  if ((t.focal || t.classWeights) && inp.distillAlpha === 0)
    throw new ConfigError(
      `${t.focal ? `${FIELD}.focal` : `${FIELD}.classWeights`} shapes the hard-label loss, which distillation alpha 0 switches off: raise distill.alpha or remove it`,
    );
  const c = t.curriculum;
  if (c) {
    if (c.run && c.score !== 'loss') throw new ConfigError(`${FIELD}.curriculum.run is read only by score "loss" (score is "${c.score}")`);
    if (c.score === 'loss' && !inp.difficulty)
      throw new ConfigError(`${FIELD}.curriculum score "loss" needs a finished run's per-example loss: name it in ${FIELD}.curriculum.run`);
    if (c.score === 'loss' && inp.difficulty!.length !== inp.labels.length)
      throw new ConfigError(
        `${FIELD}.curriculum: ${inp.difficulty!.length} difficulty scores for ${inp.labels.length} training examples; they must be the same examples in the same order`,
      );
  }
  if (t.focal) {
    plan.gamma = t.focal.gamma;
    plan.classWeights = resolveClassWeights(t.focal.alpha, inp.labels, inp.classes, `${FIELD}.focal.alpha`);
    plan.normalize = 'count';
  }
  if (t.classWeights) plan.classWeights = resolveClassWeights(t.classWeights, inp.labels, inp.classes, `${FIELD}.classWeights`);
  plan.adversarial = t.adversarial ?? undefined;
  plan.rdrop = t.rdrop ?? undefined;
  plan.mixup = t.mixup ?? undefined;
  plan.curriculum = c ?? undefined;
  plan.split = dense.length > 0;
  return plan;
}
