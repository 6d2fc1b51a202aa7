/**
 * A pretrained run as the folder `save_pretrained` writes: config.json naming the architecture's
 * `*ForSequenceClassification` with the run's labels, model.safetensors under the state-dict
 * names transformers loads, and the base's tokenizer files, so Python's
 * `AutoModelForSequenceClassification`, `@huggingface/transformers` and the product's own
 * import-model read it as they read any Hub checkpoint. LoRA runs can also give the bare adapter
 * in PEFT's own format.
 */
import type { ModelArtifact, NamedTensor } from '../models/estimator';
import { peftFiles, peftOfArtifact } from '../models/pretrained/peft-format';
import type { HfConfig } from '../models/pretrained/types';
import { encodeSafetensors } from '../storage/safetensors';
import { InputError } from '../util/errors';
import type { MergedModel } from './merged';

/** The class each model_type's sequence classifier has in transformers. */
const CLASSIFIERS: Record<string, string> = {
  bert: 'BertForSequenceClassification',
  distilbert: 'DistilBertForSequenceClassification',
  roberta: 'RobertaForSequenceClassification',
  electra: 'ElectraForSequenceClassification',
  'deberta-v2': 'DebertaV2ForSequenceClassification',
};

/** Tokenizer files copied from the base when it has them; tokenizer.json is required. */
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

/** config.json for the exported classifier: the run's config (labels included), its class named. */
export function exportedConfig(config: HfConfig, classes: string[]): HfConfig {
  const cls = CLASSIFIERS[config.model_type];
  if (!cls) throw new InputError(`model_type '${config.model_type}' has no sequence-classification class to export to`);
  return {
    ...config,
    architectures: [cls],
    num_labels: classes.length,
    id2label: Object.fromEntries(classes.map((c, i) => [String(i), c])),
    label2id: Object.fromEntries(classes.map((c, i) => [c, i])),
    problem_type: 'single_label_classification',
  };
}

const json = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

/** The Hugging Face folder's files by name. */
export async function hfFiles(m: MergedModel): Promise<Record<string, Uint8Array>> {
  const tensors: Record<string, NamedTensor> = {};
  for (const [n, t] of Object.entries(m.weights)) tensors[n] = { dtype: 'F32', shape: t.shape, data: t.data };
  const files: Record<string, Uint8Array> = {
    'config.json': json(exportedConfig(m.meta.hfConfig, m.meta.classes)),
    'model.safetensors': encodeSafetensors(tensors, { format: 'pt' }),
  };
  for (const name of TOKENIZER_FILES) {
    const bytes = await m.read(name);
    if (bytes) files[name] = bytes;
    else if (name === 'tokenizer.json') throw new InputError("the run's base has no tokenizer.json to export (the run recorded none)");
  }
  return files;
}

/** PEFT's adapter_config.json and adapter_model.safetensors, for runs that hold a LoRA or IA3 adapter. */
export function peftExportFiles(a: ModelArtifact): Record<string, Uint8Array> {
  const adapter = peftOfArtifact(a);
  if (!adapter) {
    const method = (a.meta.params as { method?: string } | undefined)?.method ?? a.kind;
    throw new InputError(`--format peft needs a LoRA or IA3 run; this run is '${method}' (export it with --format hf)`);
  }
  return peftFiles(adapter);
}
