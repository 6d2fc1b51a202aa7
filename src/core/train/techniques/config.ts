/**
 * The training techniques a neural or pretrained config can switch on (`model.train.techniques`),
 * each off by default. Defaults are the ones the papers report as robust starting points:
 * FGM/PGD epsilon 1 on the embedding output (Miyato et al. 2017; Madry et al. 2018), FreeLB
 * 3 ascent steps (Zhu et al. 2020), R-Drop alpha 1 (Liang et al. 2021, their GLUE setting is 0.1-1),
 * mixup alpha 0.2 (Zhang et al. 2018; Guo et al. 2019 for sentence mixup), focal gamma 2
 * (Lin et al. 2017), curriculum starting from the easiest third (Platanios et al. 2019).
 */
import { z } from 'zod';

export const adversarialSchema = z
  .object({
    /** fgm: one step of epsilon along g/||g||; pgd: `steps` steps of `alpha`, projected to the epsilon ball; freelb: `steps` ascent steps, gradients averaged over them. */
    method: z.enum(['fgm', 'pgd', 'freelb']).default('fgm'),
    /** Radius of the perturbation (L2 norm over the whole batch's embedding output, per example for pgd/freelb). */
    epsilon: z.number().positive().max(100).default(1),
    /** Step size of each pgd/freelb ascent step. */
    alpha: z.number().positive().max(100).default(0.3),
    /** Ascent steps (pgd, freelb); fgm takes one. */
    steps: z.number().int().min(1).max(20).default(3),
  })
  .strict();

export const curriculumSchema = z
  .object({
    /**
     * length: longer is harder; rare-words: share of tokens outside the 5,000 most frequent training tokens;
     * loss: a finished run's loss per training example (`run`); self-paced: the model's own loss, re-scored each epoch.
     */
    score: z.enum(['length', 'rare-words', 'loss', 'self-paced']).default('length'),
    /** For score 'loss': the run whose per-example loss ranks the examples. */
    run: z.string().min(1).optional(),
    /** Share of easiest examples per epoch: linear or root (Platanios et al.) from `start` to 1 at `fullAt` of the epochs; step: `start`, then all. */
    pacing: z.enum(['linear', 'root', 'step']).default('root'),
    start: z.number().gt(0).max(1).default(0.33),
    /** Fraction of the epochs after which every example is used. */
    fullAt: z.number().gt(0).max(1).default(0.5),
    /**
     * Take the easiest share of each class rather than of all examples, so early epochs keep the
     * classes' proportions: a model that favours one class would otherwise find mostly that class easy.
     */
    balanced: z.boolean().default(true),
  })
  .strict();

export const techniquesSchema = z
  .object({
    adversarial: adversarialSchema.nullable().default(null),
    /** Two dropout passes; loss = mean CE of both + alpha * symmetric KL between them. */
    rdrop: z
      .object({ alpha: z.number().positive().max(100).default(1) })
      .strict()
      .nullable()
      .default(null),
    /** Mixup of pooled sentence representations (and one-hot labels) with lambda ~ Beta(alpha, alpha). */
    mixup: z
      .object({ alpha: z.number().positive().max(10).default(0.2) })
      .strict()
      .nullable()
      .default(null),
    /** Focal loss; alpha: per-class weights (one per class, in the dataset's class order) or 'balanced'. gamma 0 is cross-entropy. */
    focal: z
      .object({
        gamma: z.number().min(0).max(10).default(2),
        alpha: z
          .union([z.array(z.number().positive()).min(2), z.literal('balanced')])
          .nullable()
          .default(null),
      })
      .strict()
      .nullable()
      .default(null),
    /** Per-class loss weights: 'balanced' (n / (k * count), as scikit-learn) or one per class. */
    classWeights: z
      .union([z.literal('balanced'), z.array(z.number().positive()).min(2)])
      .nullable()
      .default(null),
    curriculum: curriculumSchema.nullable().default(null),
  })
  .strict()
  .prefault({});

export type Techniques = z.output<typeof techniquesSchema>;
export type AdversarialConfig = z.output<typeof adversarialSchema>;
export type CurriculumConfig = z.output<typeof curriculumSchema>;
