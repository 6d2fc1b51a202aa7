/**
 * Reads a Hugging Face model folder through a platform-free file reader: config.json, then
 * model.safetensors or the shards model.safetensors.index.json names. Half-precision tensors are
 * widened to float32; names are normalised to the prefixed form the encoders address.
 */
import { decodeSafetensors } from '../../storage/safetensors';
import { architectureFor } from './architectures';
import type { EncoderArchitecture, HfConfig } from './types';

/** Bytes of a file of the folder by its relative name, or undefined when the folder lacks it. */
export type FolderReader = (name: string) => Promise<Uint8Array | undefined>;

export interface FloatTensor {
  shape: number[];
  data: Float32Array;
}

export interface HfCheckpoint {
  config: HfConfig;
  architecture: EncoderArchitecture;
  /** Float weights by prefixed state-dict name (`bert.encoder...`, `classifier.weight`). */
  weights: Record<string, FloatTensor>;
}

/** Class-name stems config.json's `architectures` may carry for each model_type. */
const CLASS_STEMS: Record<string, string> = { bert: 'Bert', distilbert: 'DistilBert', roberta: 'Roberta', electra: 'Electra', 'deberta-v2': 'DebertaV2' };

export function parseConfig(bytes: Uint8Array): HfConfig {
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('config.json is not valid JSON');
  }
  if (!config || typeof config !== 'object' || typeof (config as HfConfig).model_type !== 'string') throw new Error("config.json has no 'model_type'");
  return config as HfConfig;
}

/** Checks model_type and architectures and the architecture's own options; returns the architecture. */
export function checkConfig(config: HfConfig): EncoderArchitecture {
  const arch = architectureFor(config);
  const stem = CLASS_STEMS[config.model_type];
  const unknown = (config.architectures ?? []).filter((a) => !stem || !a.startsWith(stem));
  if (unknown.length) throw new Error(`config.json: architectures ${unknown.join(', ')} do not match model_type '${config.model_type}'`);
  arch.validate(config);
  return arch;
}

/**
 * Old TF-converted checkpoints name LayerNorm parameters gamma/beta; a bare base model (no head,
 * e.g. sentence-transformers' MiniLM) has no prefix. Both are mapped as transformers does on load.
 */
export function normaliseNames<T>(weights: Record<string, T>, prefix: string): Record<string, T> {
  const names = Object.keys(weights);
  const bare = !names.some((n) => n.startsWith(`${prefix}.`));
  const out: Record<string, T> = {};
  for (const n of names) {
    const renamed = n.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
    out[bare ? `${prefix}.${renamed}` : renamed] = weights[n];
  }
  return out;
}

export async function readCheckpoint(read: FolderReader): Promise<HfCheckpoint> {
  const configBytes = await read('config.json');
  if (!configBytes) throw new Error('the model folder has no config.json');
  const config = parseConfig(configBytes);
  const architecture = checkConfig(config);
  const raw: Record<string, FloatTensor> = {};
  for (const file of await weightFiles(read)) {
    const bytes = await read(file);
    if (!bytes) throw new Error(`the model folder has no ${file} (weights are read from safetensors only)`);
    for (const [name, t] of Object.entries(decodeSafetensors(bytes, file).tensors)) {
      // Integer tensors are buffers (position_ids), not weights.
      if (t.data instanceof Float32Array) raw[name] = { shape: t.shape, data: t.data };
    }
  }
  return { config, architecture, weights: normaliseNames(raw, architecture.prefix) };
}

async function weightFiles(read: FolderReader): Promise<string[]> {
  const index = await read('model.safetensors.index.json');
  if (index) {
    const map = (JSON.parse(new TextDecoder().decode(index)) as { weight_map?: Record<string, string> }).weight_map;
    if (!map) throw new Error("model.safetensors.index.json has no 'weight_map'");
    return [...new Set(Object.values(map))].sort();
  }
  return ['model.safetensors'];
}
