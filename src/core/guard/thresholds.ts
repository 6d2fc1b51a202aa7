/**
 * Thresholds of the pre-training checks, each with where it comes from. They are rules of
 * thumb, not laws: a finding explains itself and can be overridden with a stated reason.
 */

/**
 * Trainable parameters per training example. Above ~1,000 a model has room for a private
 * weight vector per example (fastText's AG News setup, dim 10 over ~1M rows on 120k texts, sits
 * near 100). Above 100,000 (a 110M-parameter encoder fully tuned on ~1k texts) memorising the
 * training set is the easy solution.
 */
export const PARAMS_PER_EXAMPLE_WARN = 1_000;
export const PARAMS_PER_EXAMPLE_BLOCK = 100_000;

/** Above this a neural model counts as high-capacity and must show some regularisation. */
export const HIGH_CAPACITY_PARAMS_PER_EXAMPLE = 100;

/**
 * Epochs. fastText reaches its AG News accuracy in 5 epochs (Joulin et al. 2017, and the
 * reference run in ../shared/data/ag_news/README.md); 4x that, without early stopping, is spent
 * fitting noise. Small data sets are seen more often per epoch count, hence the lower bar.
 */
export const EPOCHS_WARN = 20;
export const SMALL_DATA_EXAMPLES = 10_000;
export const SMALL_DATA_EPOCHS_WARN = 10;
/** 50 passes over fewer than 10k examples, or 200 over any data, without early stopping. */
export const SMALL_DATA_EPOCHS_BLOCK = 50;
export const EPOCHS_BLOCK = 200;
/** The suggested replacement: the fastText setting above. */
export const SAFE_EPOCHS = 5;
/**
 * Passes that count as implicit regularisation when the learning rate decays to zero over them
 * (on at least SMALL_DATA_EXAMPLES examples): fastText's tuned AG News recipe, 5 epochs of
 * linearly decaying SGD on a hashed bigram model, scores 0.900-0.902 in 5-fold CV on train and
 * 0.904 on test (configs/fasttext-cpu.json) without dropout or weight decay.
 */
export const FEW_EPOCHS = SAFE_EPOCHS;

/**
 * Learning-rate ranges per model family and optimizer: [low, high, block]. Below `low` training
 * crawls (under-fitting, reported as info); above `high` it oscillates and tends to settle in
 * sharp minima; at or above `block` it diverges.
 *  - embedding-bag + Adam: Kingma & Ba's 1e-3 up to ~5e-2; this lab's fastText default 0.02.
 *  - embedding-bag + SGD: fastText's own SGD uses 0.05-1.0 (its supervised default 0.1).
 *  - pretrained full fine-tuning: Devlin et al. 2019 searched 2e-5..5e-5; 1e-4 is the edge.
 *  - LoRA: Hu et al. 2021 used 2e-4..5e-4; 1e-3 is commonly the edge.
 */
export const LR_RANGES: Record<string, { low: number; high: number; block: number; safe: number }> = {
  'embedding-bag/sparse-adam': { low: 1e-4, high: 0.1, block: 1, safe: 0.02 },
  'embedding-bag/adam': { low: 1e-4, high: 0.05, block: 1, safe: 0.01 },
  'embedding-bag/sgd': { low: 1e-3, high: 1, block: 5, safe: 0.1 },
  'embedding-bag/fasttext-sgd': { low: 1e-3, high: 1, block: 5, safe: 0.1 },
  'embedding-bag/adamw': { low: 1e-4, high: 0.05, block: 1, safe: 0.01 },
  // Small networks from scratch (TextCNN, Transformer): Adam's 1e-3 is the usual centre;
  // Transformers want warm-up above ~1e-3 (Xiong et al. 2020).
  'scratch/adam': { low: 1e-5, high: 1e-2, block: 0.1, safe: 1e-3 },
  'scratch/adamw': { low: 1e-5, high: 1e-2, block: 0.1, safe: 1e-3 },
  'scratch/sgd': { low: 1e-3, high: 0.5, block: 2, safe: 0.05 },
  'pretrained/full': { low: 1e-6, high: 1e-4, block: 1e-3, safe: 3e-5 },
  'pretrained/lora': { low: 1e-5, high: 1e-3, block: 1e-2, safe: 2e-4 },
  // IA3: Liu et al. 2022 trained (IA)³ vectors at 3e-3. BitFit: Ben Zaken et al. 2022 searched 1e-4..1e-3.
  'pretrained/ia3': { low: 1e-4, high: 1e-2, block: 0.1, safe: 3e-3 },
  'pretrained/bitfit': { low: 1e-5, high: 3e-3, block: 3e-2, safe: 5e-4 },
  // Bottleneck adapters: Houlsby et al. 2019 searched 3e-5..1e-3; Pfeiffer et al. 2021 and AdapterHub use 1e-4.
  'pretrained/adapter': { low: 1e-5, high: 3e-3, block: 3e-2, safe: 1e-4 },
};

/**
 * Examples per class in the validation split. With 30, a per-class accuracy of 0.9 has a
 * standard error of ~5.5 points, about the gap between configs one compares; with fewer than
 * 10 (±10 points) model selection on it is choosing by noise.
 */
export const VALIDATION_PER_CLASS_WARN = 30;
export const VALIDATION_PER_CLASS_BLOCK = 10;

/**
 * LoRA rank by training-set size. Hu et al. 2021 found ranks 1-8 match full fine-tuning on
 * GLUE-sized tasks (thousands to ~400k examples); larger ranks add capacity, not accuracy.
 * Rank above 4x the bar is blocked.
 */
export const LORA_RANK_LIMITS: { below: number; maxRank: number }[] = [
  { below: 1_000, maxRank: 4 },
  { below: 10_000, maxRank: 8 },
  { below: 100_000, maxRank: 32 },
  { below: Number.POSITIVE_INFINITY, maxRank: 64 },
];
export const LORA_RANK_BLOCK_FACTOR = 4;
