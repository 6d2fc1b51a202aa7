/**
 * One registry for every model: the config schema (a union on `type`), the factory for a new
 * estimator, and the loader that rebuilds a fitted one from its saved artifact.
 */
import { z } from 'zod';
import { classicalModelSchema, createClassical, loadClassical, CLASSICAL_KINDS, type ClassicalKind } from './classical';
import type { Estimator, ModelArtifact } from './estimator';
import { biGruSchema, fastTextSchema, textCnnSchema, transformerSchema } from './neural/config';
import { BiGru } from './neural/bigru';
import { TextCnn } from './neural/textcnn';
import { Transformer } from './neural/transformer';
import { FastText } from './neural/fasttext';
import { ConfigError } from '../util/errors';

export const modelSchema = z.discriminatedUnion('type', [...classicalModelSchema.options, fastTextSchema, textCnnSchema, transformerSchema, biGruSchema]);
export type ModelConfig = z.output<typeof modelSchema>;

export function createEstimator(cfg: ModelConfig): Estimator {
  if ((CLASSICAL_KINDS as string[]).includes(cfg.type)) return createClassical(cfg.type as ClassicalKind, cfg as Record<string, unknown>);
  if (cfg.type === 'fasttext') {
    const { dim, minCount, maxWords, buckets, wordNgrams, maxTokens, tokenizer, order, train } = cfg;
    return new FastText({ dim, minCount, maxWords, buckets, wordNgrams, maxTokens, tokenizer, order, loop: train });
  }
  if (cfg.type === 'textcnn') return new TextCnn(cfg);
  if (cfg.type === 'transformer') return new Transformer(cfg);
  if (cfg.type === 'bigru') return new BiGru(cfg);
  throw new ConfigError(`Unknown model type "${(cfg as { type: string }).type}"`);
}

export function loadEstimator(artifact: ModelArtifact): Estimator {
  if (artifact.kind === 'fasttext') return FastText.load(artifact);
  if (artifact.kind === 'textcnn') return TextCnn.load(artifact);
  if (artifact.kind === 'transformer') return Transformer.load(artifact);
  if (artifact.kind === 'bigru') return BiGru.load(artifact);
  if ((CLASSICAL_KINDS as string[]).includes(artifact.kind)) return loadClassical(artifact);
  throw new ConfigError(`Cannot load a model of kind "${artifact.kind}"`);
}

export function modelFamily(type: string): Estimator['family'] {
  return (CLASSICAL_KINDS as string[]).includes(type) ? 'classical' : 'neural';
}

/**
 * Whether training this config needs a tensor backend (TF.js webgpu/wasm/cpu). Plain-TypeScript
 * trainers (the sparse classical models, fastText's own per-example SGD) never start one.
 */
export function trainsWithTensors(cfg: ModelConfig): boolean {
  if (modelFamily(cfg.type) === 'classical') return false;
  return !(cfg.type === 'fasttext' && cfg.train.optimizer === 'fasttext-sgd');
}

/** Whether predicting with a saved model needs a tensor backend (see trainsWithTensors). */
export function predictsWithTensors(artifact: ModelArtifact): boolean {
  if ((CLASSICAL_KINDS as string[]).includes(artifact.kind)) return false;
  const params = artifact.meta.params as { loop?: { optimizer?: string } } | undefined;
  return !(artifact.kind === 'fasttext' && params?.loop?.optimizer === 'fasttext-sgd');
}
