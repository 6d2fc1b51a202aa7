/**
 * A pretrained run's weights as one plain sequence classifier: the base read again through the
 * run's references, the run's trained tensors written in, and LoRA / IA3 folded into the dense
 * weights (BitFit and full fine-tuning need no folding). The rebuild follows the estimator's own
 * load (estimator.ts restore) step for step; the export test checks that the folded model gives
 * the run's own probabilities, so a drift between the two shows there.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifact } from '../models/estimator';
import { architectureFor } from '../models/pretrained/architectures';
import { sourceFromRefs } from '../models/pretrained/base-source';
import { readCheckpoint, type FloatTensor, type FolderReader, type HfCheckpoint } from '../models/pretrained/checkpoint';
import type { PretrainedConfig } from '../models/pretrained/config';
import { PRETRAINED_KIND } from '../models/pretrained/estimator';
import { EncoderModel } from '../models/pretrained/model';
import { adapterFromPeft, peftOfArtifact } from '../models/pretrained/peft-format';
import { readTensors } from '../models/pretrained/read';
import type { HfConfig } from '../models/pretrained/types';
import type { AssetStore } from '../storage/asset-store';
import { InputError } from '../util/errors';

/** What a pretrained artifact's meta holds (estimator.ts writes it). */
export interface PretrainedMeta {
  params: PretrainedConfig;
  classes: string[];
  hfConfig: HfConfig;
  seed: number;
  maxLength: number;
  base: { id: string; revision?: string };
  baseFiles: string[];
}

export interface MergedModel {
  meta: PretrainedMeta;
  /** Every weight by the prefixed state-dict name transformers loads. */
  weights: Record<string, FloatTensor>;
  /** The run's base files (the tokenizer), as the run recorded them. */
  read: FolderReader;
}

/** Why a run cannot become a plain `*ForSequenceClassification`; undefined when it can. */
export function unfoldable(a: ModelArtifact): string | undefined {
  if (a.kind !== PRETRAINED_KIND) return `a '${a.kind}' model is not a pretrained encoder`;
  const p = (a.meta as unknown as PretrainedMeta).params;
  if (p.method === 'adapter')
    return "bottleneck adapters add a non-linear layer (down-projection, activation, up-projection) inside each block, which cannot be folded into the encoder's own weights";
  if (p.pooling === 'mean')
    return 'mean pooling feeds the classifier the masked mean of the tokens, which no transformers *ForSequenceClassification head computes (it reads the first token)';
  return undefined;
}

/** The checkpoint's head is used only when its labels are the run's classes (as the estimator decides). */
function headMatches(config: HfConfig, classes: string[]): boolean {
  const id2label = config.id2label as Record<string, string> | undefined;
  if (!id2label) return false;
  return classes.length === Object.keys(id2label).length && classes.every((c, i) => id2label[String(i)]?.toLowerCase() === c.toLowerCase());
}

/** The run's model folded into plain weights; needs a tensor backend for LoRA / IA3 / BitFit runs. */
export async function mergedPretrained(a: ModelArtifact, assets: AssetStore): Promise<MergedModel> {
  const why = unfoldable(a);
  if (why) throw new InputError(`this run cannot be exported as a Hugging Face model: ${why}; export it with --format bundle`);
  const meta = a.meta as unknown as PretrainedMeta;
  const read = sourceFromRefs(assets, a.refs ?? [], meta.baseFiles);
  if (meta.params.method === 'full') {
    const weights: Record<string, FloatTensor> = {};
    for (const [k, t] of Object.entries(a.tensors)) if (k.startsWith('w.')) weights[k.slice(2)] = { shape: t.shape, data: t.data as Float32Array };
    return { meta, weights, read };
  }
  const ckpt = await readCheckpoint(read);
  const base: HfCheckpoint = headMatches(ckpt.config, meta.classes)
    ? ckpt
    : { ...ckpt, weights: Object.fromEntries(Object.entries(ckpt.weights).filter(([n]) => n.startsWith(`${ckpt.architecture.prefix}.`))) };
  const model = EncoderModel.fromCheckpoint({ ...base, architecture: architectureFor(meta.hfConfig) }, { numLabels: meta.classes.length, seed: meta.seed, config: meta.hfConfig });
  const saved = peftOfArtifact(a);
  // Variables outlive tf.tidy; the tidy frees the temporaries Ia3's constructor leaves behind (a reshape's input).
  let peft: ReturnType<typeof adapterFromPeft> | undefined;
  tf.tidy(() => {
    peft = saved ? adapterFromPeft(model, saved) : undefined;
  });
  try {
    // BitFit's trained biases (`w.`) and fresh weights outside the trained set (`init.`) are the model's own.
    for (const [k, t] of Object.entries(a.tensors)) {
      const name = k.startsWith('w.') ? k.slice(2) : k.startsWith('init.') ? k.slice(5) : undefined;
      if (name === undefined) continue;
      const v = model.weights.get(name);
      if (!v) throw new InputError(`the run's tensor '${k}' matches no weight of the model`);
      tf.tidy(() => v.assign(tf.tensor(t.data, t.shape, 'float32')));
    }
    peft?.mergeInto();
    const weights: Record<string, FloatTensor> = {};
    for (const [n, t] of Object.entries(await readTensors(model.weights))) weights[n] = { shape: t.shape, data: t.data as Float32Array };
    return { meta, weights, read };
  } finally {
    peft?.dispose();
    model.dispose();
  }
}
