/**
 * Technique settings far outside what their papers report, for the guard to warn about before a
 * run: they rarely fail loudly, they just make the model worse.
 */
import type { Techniques } from './config';

export interface TechniqueRisk {
  message: string;
  /** Concrete config changes, `path: value`. */
  saferAlternatives: string[];
  value: number;
  threshold: number;
}

const F = 'model.train.techniques';

/** Above these the settings leave the range the papers tune in. */
export const TECHNIQUE_LIMITS = { epsilon: 5, rdropAlpha: 10, mixupAlpha: 1, focalGamma: 5, curriculumStart: 0.1 };

export function techniqueRisks(t: Techniques | undefined): TechniqueRisk[] {
  if (!t) return [];
  const L = TECHNIQUE_LIMITS;
  const out: TechniqueRisk[] = [];
  const a = t.adversarial;
  if (a && a.epsilon > L.epsilon)
    out.push({
      message: `Adversarial epsilon ${a.epsilon} can outweigh the embeddings themselves (FGM/PGD/FreeLB papers use 0.1 to 1 on the embedding output): the model trains on noise.`,
      saferAlternatives: [`${F}.adversarial.epsilon: 1`],
      value: a.epsilon,
      threshold: L.epsilon,
    });
  if (a && a.method !== 'fgm' && a.alpha > a.epsilon)
    out.push({
      message: `Adversarial alpha ${a.alpha} is larger than epsilon ${a.epsilon}: every ${a.method} step lands on the ball's edge, so the steps add nothing over one FGM step.`,
      saferAlternatives: [`${F}.adversarial.alpha: ${Number((a.epsilon / a.steps).toPrecision(2))}`],
      value: a.alpha,
      threshold: a.epsilon,
    });
  if (t.rdrop && t.rdrop.alpha > L.rdropAlpha)
    out.push({
      message: `R-Drop alpha ${t.rdrop.alpha} lets the agreement between two dropout passes dominate the task loss (Liang et al. use 0.1 to 5).`,
      saferAlternatives: [`${F}.rdrop.alpha: 1`],
      value: t.rdrop.alpha,
      threshold: L.rdropAlpha,
    });
  if (t.mixup && t.mixup.alpha > L.mixupAlpha)
    out.push({
      message: `Mixup alpha ${t.mixup.alpha} draws lambda near 0.5 most of the time: nearly every training target is an even blend of two classes, which under-fits.`,
      saferAlternatives: [`${F}.mixup.alpha: 0.2`],
      value: t.mixup.alpha,
      threshold: L.mixupAlpha,
    });
  if (t.focal && t.focal.gamma > L.focalGamma)
    out.push({
      message: `Focal gamma ${t.focal.gamma} all but silences the examples the model already gets right (Lin et al. found 2 best, 0.5 to 5 tried).`,
      saferAlternatives: [`${F}.focal.gamma: 2`],
      value: t.focal.gamma,
      threshold: L.focalGamma,
    });
  if (t.curriculum && t.curriculum.start < L.curriculumStart)
    out.push({
      message: `The curriculum starts from ${Math.round(t.curriculum.start * 100)}% of the examples: the first epochs fit a small, easy subset closely.`,
      saferAlternatives: [`${F}.curriculum.start: 0.33`],
      value: t.curriculum.start,
      threshold: L.curriculumStart,
    });
  return out;
}
