/**
 * PEFT's on-disk adapter format for runs: `adapter_config.json` (peft_type, the method's options,
 * base_model_name_or_path, revision, task_type SEQ_CLS, modules_to_save for the head) and
 * `adapter_model.safetensors` (tensors named `base_model.model.<module>.lora_A.weight`, `...ia3_l`,
 * the head by its own name). A LoRA or IA3 run's artifact holds exactly those tensors under
 * PEFT's names and the config in `meta.peft`, so the two files come out of a run byte for byte
 * and a folder PEFT wrote (in Python) can become a run's adapter.
 */
import type { ModelArtifact, NamedTensor } from '../estimator';
import { decodeSafetensors, encodeSafetensors } from '../../storage/safetensors';
import type { FolderReader } from './checkpoint';
import { Ia3 } from './ia3';
import { Lora } from './lora';
import type { EncoderModel } from './model';

export const ADAPTER_CONFIG = 'adapter_config.json';
export const ADAPTER_WEIGHTS = 'adapter_model.safetensors';
/** The prefix PEFT gives every saved tensor of a SEQ_CLS model. */
const PEFT_PREFIX = 'base_model.model.';

export interface PeftAdapter {
  config: Record<string, unknown>;
  /** By PEFT's names, in PEFT's shapes. */
  tensors: Record<string, NamedTensor>;
}

export type PeftMethod = Lora | Ia3;

/** The adapter as PEFT would save it, naming the base it adapts (a Hub id, or a folder for `file:` bases). */
export async function toPeftAdapter(peft: PeftMethod, base: { id: string; revision?: string }): Promise<PeftAdapter> {
  const tensors = peft instanceof Lora ? await peft.peftTensors() : await peft.toPeftTensors();
  return {
    config: { ...peft.peftConfig(), base_model_name_or_path: base.id.replace(/^file:/, ''), revision: base.revision ?? null },
    tensors,
  };
}

/** A LoRA or IA3 adapter for `model` from PEFT's files, by the config's peft_type. */
export function adapterFromPeft(model: EncoderModel, a: PeftAdapter): PeftMethod {
  if (a.config.task_type !== undefined && a.config.task_type !== null && a.config.task_type !== 'SEQ_CLS')
    throw new Error(`adapter_config.json: task_type '${String(a.config.task_type)}' is not SEQ_CLS (a sequence classifier)`);
  if (a.config.peft_type === 'LORA') return Lora.fromPeft(model, a.config, a.tensors);
  if (a.config.peft_type === 'IA3') return Ia3.fromPeft(model, a.config, a.tensors);
  throw new Error(`adapter_config.json: peft_type '${String(a.config.peft_type)}' is not supported (LORA or IA3)`);
}

/** The two files PEFT reads (`PeftModel.from_pretrained(base, folder)`). */
export function peftFiles(a: PeftAdapter): Record<string, Uint8Array> {
  return {
    [ADAPTER_CONFIG]: new TextEncoder().encode(`${JSON.stringify(a.config, null, 2)}\n`),
    [ADAPTER_WEIGHTS]: encodeSafetensors(a.tensors, { format: 'pt' }),
  };
}

/** A folder PEFT wrote; a clear error when a file is missing or not PEFT's. */
export async function readPeftAdapter(read: FolderReader): Promise<PeftAdapter> {
  const config = await read(ADAPTER_CONFIG);
  const weights = await read(ADAPTER_WEIGHTS);
  if (!config || !weights) throw new Error(`a PEFT adapter folder needs ${ADAPTER_CONFIG} and ${ADAPTER_WEIGHTS}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(config));
  } catch (e) {
    throw new Error(`${ADAPTER_CONFIG}: not JSON (${(e as Error).message})`, { cause: e });
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as Record<string, unknown>).peft_type !== 'string') throw new Error(`${ADAPTER_CONFIG}: no peft_type`);
  return { config: parsed as Record<string, unknown>, tensors: decodeSafetensors(weights, ADAPTER_WEIGHTS).tensors as Record<string, NamedTensor> };
}

/** The PEFT adapter a run's artifact holds, if it holds one. */
export function peftOfArtifact(a: ModelArtifact): PeftAdapter | undefined {
  const config = a.meta.peft as Record<string, unknown> | undefined;
  if (!config) return undefined;
  return { config, tensors: Object.fromEntries(Object.entries(a.tensors).filter(([k]) => k.startsWith(PEFT_PREFIX))) };
}

/** Whether an artifact tensor belongs to the PEFT adapter it holds. */
export const isPeftTensor = (name: string) => name.startsWith(PEFT_PREFIX);

/**
 * A pretrained run's artifact with its adapter replaced by `adapter` (for instance one trained in
 * Python's PEFT): the method follows the adapter's peft_type; the base and its references stay.
 */
export function withPeftAdapter(a: ModelArtifact, adapter: PeftAdapter): ModelArtifact {
  const method = adapter.config.peft_type === 'LORA' ? 'lora' : adapter.config.peft_type === 'IA3' ? 'ia3' : undefined;
  if (!method) throw new Error(`adapter_config.json: peft_type '${String(adapter.config.peft_type)}' is not supported (LORA or IA3)`);
  const kept = Object.fromEntries(Object.entries(a.tensors).filter(([k]) => k.startsWith('init.')));
  const params = { ...(a.meta.params as Record<string, unknown>), method };
  return { ...a, meta: { ...a.meta, params, peft: adapter.config }, tensors: { ...kept, ...adapter.tensors } };
}
