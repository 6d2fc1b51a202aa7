/**
 * A first search space for a config, for the page's editor: the settings that matter most for
 * its family, around the config's own values (a learning rate from a tenth to ten times its own).
 * Light on purpose: the page's thread reads it without loading model code.
 */
type Space = Record<string, unknown>;

const CLASSICAL: Record<string, Space> = {
  'tfidf-nb': { 'model.alpha': { low: 0.003, high: 1, log: true }, 'model.vectorizer.word.ngramMax': [1, 2] },
  'tfidf-logreg': { 'model.C': { low: 0.5, high: 64, log: true } },
  'tfidf-svm': { 'model.C': { low: 0.1, high: 4, log: true } },
  'tfidf-sgd': { 'model.alpha': { low: 1e-6, high: 1e-3, log: true } },
};

// The loops' default learning rates (neural/config.ts, pretrained/config.ts), for presets that keep them.
const DEFAULT_LR: Record<string, number> = { fasttext: 0.02, textcnn: 0.002, transformer: 0.001, bigru: 0.003, pretrained: 2e-5 };

export function suggestedSpace(config: unknown): Space | undefined {
  const model = (config as { model?: { type?: string; dropout?: unknown; train?: { lr?: unknown; optimizer?: unknown } } })?.model;
  if (!model?.type) return undefined;
  if (CLASSICAL[model.type]) return CLASSICAL[model.type];
  if (model.type === 'ensemble' || model.type === 'cascade') return undefined;
  const space: Space = {};
  const lr = typeof model.train?.lr === 'number' ? model.train.lr : DEFAULT_LR[model.type];
  if (lr === undefined) return undefined;
  space['model.train.lr'] = { low: Number((lr / 10).toPrecision(2)), high: Number((lr * 10).toPrecision(2)), log: true };
  if (model.type === 'fasttext') space['model.dim'] = { low: 8, high: 64, int: true, log: true };
  if (typeof model.dropout === 'number') space['model.dropout'] = { low: 0, high: 0.5 };
  // fastText's own SGD updates per example: it has no batch to size.
  if (model.type !== 'pretrained' && model.train?.optimizer !== 'fasttext-sgd') space['model.train.batchSize'] = [32, 64, 128];
  return space;
}
