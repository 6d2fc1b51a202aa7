/**
 * One solver per preset behind a common signature: fit a LinearModel on TF-IDF rows, say how
 * raw scores become probabilities without calibration, and how to rank features.
 */
import type { CsrMatrix } from '../../features/sparse';
import type { ProgressOptions } from '../../features/progress';
import type { BlockFit, HeadFit, LinearModel } from './linear';
import { fitNaiveBayes, nbFeatureScore } from './nb';
import { fitLogReg } from './logreg';
import { fitBlockSvms, fitLinearSvm } from './svm';
import { fitSgd } from './sgd';
import type { ClassicalConfig } from './config';

export interface Head {
  fit(X: CsrMatrix, y: Int32Array, sw: Float64Array, K: number, seed: number, opts: ProgressOptions): Promise<HeadFit>;
  /**
   * Blended heads: fits one model per analyzer block (word, char), given each block as its
   * own matrix. The estimator uses it instead of `fit` when the features have two blocks.
   */
  fitBlocks?(Xs: CsrMatrix[], y: Int32Array, sw: Float64Array, K: number, seed: number, opts: ProgressOptions): Promise<BlockFit>;
  /** The word block's weight in the blend; null: chosen on out-of-fold scores. */
  blendWeight?: number | null;
  /** Uncalibrated probabilities: softmax of scores, or sklearn's modified-Huber mapping. */
  link: 'softmax' | 'huber';
  /** Per-class feature relevance for topFeatures (default: the weight). */
  featureScore?: (m: LinearModel, j: number, c: number) => number;
}

export function headFor(cfg: ClassicalConfig): Head {
  switch (cfg.type) {
    case 'tfidf-nb':
      return {
        link: 'softmax',
        featureScore: cfg.complement ? undefined : nbFeatureScore,
        fit: async (X, y, sw, K) => ({ model: fitNaiveBayes(X, y, sw, K, cfg), epochs: 1, steps: 1 }),
      };
    case 'tfidf-logreg':
      return { link: 'softmax', fit: (X, y, sw, K, _seed, opts) => fitLogReg(X, y, sw, K, cfg, opts) };
    case 'tfidf-svm':
      return {
        link: 'softmax',
        blendWeight: cfg.blend ? cfg.blend.weight : undefined,
        fit: (X, y, sw, K, seed, opts) => fitLinearSvm(X, y, sw, K, cfg, seed, opts),
        fitBlocks: cfg.blend ? (Xs, y, sw, K, seed, opts) => fitBlockSvms(Xs, y, sw, K, cfg, cfg.blend?.charC ?? cfg.C, seed, opts) : undefined,
      };
    case 'tfidf-sgd':
      return { link: 'huber', fit: (X, y, sw, K, seed, opts) => fitSgd(X, y, sw, K, cfg, seed, opts) };
  }
}
