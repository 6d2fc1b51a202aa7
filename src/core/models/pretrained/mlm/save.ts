/**
 * A pretrained encoder with its MLM head as the folder `save_pretrained` writes for *ForMaskedLM:
 * config.json naming that architecture (no task labels), model.safetensors with the encoder and
 * the head under transformers' names (the tied decoder weight omitted, as transformers omits
 * it), and the base's tokenizer files copied. Fine-tuning names the folder as its base.
 */
import { encodeSafetensors } from '../../../storage/safetensors';
import type { NamedTensor } from '../../estimator';
import type { FolderReader } from '../checkpoint';
import { readTensors } from '../read';
import type { HfConfig } from '../types';
import type { MlmModel } from './mlm-model';

/** Tokenizer files a Hugging Face folder may hold; those the base has are copied. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'vocab.json', 'merges.txt'];

export interface FolderFile {
  name: string;
  bytes: Uint8Array;
}

/** The config.json of the saved folder: the base's (its dropout included), as a masked-LM model. */
export function maskedLmConfig(model: MlmModel, base: HfConfig): HfConfig {
  const out: HfConfig = { ...base, architectures: [model.spec.architecture] };
  for (const key of ['id2label', 'label2id', 'num_labels', 'problem_type']) delete out[key];
  return out;
}

/**
 * The tensors to save: the encoder's own weights that came from the base (a pooler drawn fresh
 * only to satisfy the classifier's forward is left out) and the MLM head.
 */
export async function maskedLmTensors(model: MlmModel): Promise<Record<string, NamedTensor>> {
  const prefix = `${model.encoder.architecture.prefix}.`;
  const fresh = new Set(model.encoder.initialised);
  const keep = new Map([...model.encoder.weights].filter(([name]) => name.startsWith(prefix) && !fresh.has(name)));
  return { ...(await readTensors(keep)), ...(await readTensors(model.head)) };
}

export async function maskedLmFolder(model: MlmModel, base: { config: HfConfig; read: FolderReader }): Promise<FolderFile[]> {
  const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');
  const files: FolderFile[] = [
    { name: 'config.json', bytes: json(maskedLmConfig(model, base.config)) },
    { name: 'model.safetensors', bytes: encodeSafetensors(await maskedLmTensors(model), { format: 'pt' }) },
  ];
  for (const name of TOKENIZER_FILES) {
    const bytes = await base.read(name);
    if (bytes) files.push({ name, bytes });
  }
  if (!files.some((f) => f.name === 'tokenizer.json')) throw new Error('the base has no tokenizer.json to copy into the pretrained folder');
  return files;
}
