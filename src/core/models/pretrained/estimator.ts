/**
 * The pretrained tier as an Estimator: a Hugging Face encoder read from its base (Hub id or
 * folder, through the asset store), adapted in full or with LoRA / IA3 / bottleneck adapters /
 * BitFit, fine-tuned by fine-tune-loop.ts. Its artifact holds what training changed: every weight
 * for full fine-tuning; for the other methods only the adapters and head, with `refs` (URI,
 * sha256, bytes) to the base files, which a loader resolves again (a base evicted from the cache
 * is downloaded again). LoRA and IA3 adapters are held as PEFT saves them (peft-format.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Example } from '../../data/types';
import { BackendError, ConfigError } from '../../util/errors';
import type { AssetStore } from '../../storage/asset-store';
import type { Estimator, FitContext, FitSummary, LoadEnv, ModelArtifact, NamedTensor, TokenAttribution } from '../estimator';
import { gradientTimesInput } from '../neural/attribution';
import { architectureFor } from './architectures';
import { Bottleneck } from './adapters';
import { baseSourceFromAssets, sourceFromRefs } from './base-source';
import { bitFitTrainable } from './bitfit';
import { readCheckpoint, type FolderReader, type HfCheckpoint } from './checkpoint';
import { pretrainedSchema, type PretrainedConfig } from './config';
import type { DenseAdapter } from './context';
import { fineTune } from './fine-tune-loop';
import { Ia3 } from './ia3';
import { Lora } from './lora';
import { EncoderModel, withDropout } from './model';
import { GroupedAdamW } from './param-groups';
import { adapterFromPeft, isPeftTensor, peftOfArtifact, toPeftAdapter, type PeftAdapter } from './peft-format';
import { readTensors } from './read';
import { EncoderTokenizer, pad } from './tokenize';
import { checkUnfreeze } from './unfreeze';
import type { HfConfig } from './types';

export const PRETRAINED_KIND = 'pretrained';

/** Files a run needs from its base: the tokenizer always, the weights when the artifact does not hold them. */
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'];

interface Meta {
  params: PretrainedConfig;
  classes: string[];
  /** config.json as the model ran it (labels, dropout). */
  hfConfig: HfConfig;
  seed: number;
  maxLength: number;
  base: { id: string; revision?: string };
  /** The base file each of the artifact's `refs` is, in order. */
  baseFiles: string[];
}

/** Layers of an encoder's config, whatever the architecture calls them. */
const layerCount = (c: HfConfig) => Number(c.num_hidden_layers ?? c.n_layers ?? 0);

/** The longest input the position table allows (RoBERTa's positions start after the padding id). */
function positionLimit(c: HfConfig): number {
  const max = Number(c.max_position_embeddings ?? Infinity);
  return c.model_type === 'roberta' ? max - Number(c.pad_token_id ?? 1) - 1 : max;
}

/** The checkpoint's head is kept only when its labels are the dataset's classes, by name and order. */
function headMatches(config: HfConfig, classes: string[]): boolean {
  const id2label = config.id2label as Record<string, string> | undefined;
  if (!id2label) return false;
  return classes.length === Object.keys(id2label).length && classes.every((c, i) => id2label[String(i)]?.toLowerCase() === c.toLowerCase());
}

export class PretrainedEstimator implements Estimator {
  readonly kind = PRETRAINED_KIND;
  readonly family = 'pretrained' as const;
  private model?: EncoderModel;
  private tokenizer?: EncoderTokenizer;
  private peft?: Lora | Ia3 | Bottleneck;
  private trainable = new Map<string, tf.Variable>();
  private meta?: Meta;
  private refs: ModelArtifact['refs'] = [];
  private pending?: Promise<void>;

  constructor(
    readonly cfg: PretrainedConfig,
    private readonly env: LoadEnv = {},
    private readonly saved?: ModelArtifact,
  ) {}

  static load(artifact: ModelArtifact, env: LoadEnv = {}): PretrainedEstimator {
    const meta = artifact.meta as unknown as Meta;
    return new PretrainedEstimator(pretrainedSchema.parse(meta.params), env, artifact);
  }

  async fit(train: Example[], ctx: FitContext): Promise<FitSummary> {
    if (!tf.getGradient('RealDiv')) throw new BackendError('TF.js gradients are not registered: the entry point must import its platform gradients module before training.');
    this.dispose();
    const assets = ctx.assets ?? this.env.assets;
    if (!assets && !ctx.openBase) throw new ConfigError('the pretrained tier reads its base model through the asset store: pass FitContext.assets (or openBase)');
    const source = ctx.openBase
      ? await ctx.openBase(this.cfg.base)
      : baseSourceFromAssets(assets!, this.cfg.base, (p) => ctx.onEvent?.({ type: 'phase', phase: `Downloading ${p.uri}`, done: p.done, total: p.total ?? 0 }));
    const read: string[] = [];
    const reader: FolderReader = async (name) => {
      const bytes = await source.read(name);
      if (bytes) read.push(name);
      return bytes;
    };
    ctx.onEvent?.({ type: 'phase', phase: `Reading ${this.cfg.base}`, done: 0, total: 1 });
    const ckpt = await readCheckpoint(reader);
    this.tokenizer = await EncoderTokenizer.fromFolder(reader);
    const peftMethod = this.cfg.method !== 'full';
    const files = read.filter((n) => peftMethod || TOKENIZER_FILES.includes(n));
    this.refs = files.map((n) => source.ref(n));
    const hfConfig = this.runConfig(ckpt, ctx.classes);
    const maxLength = Math.min(this.cfg.maxLength, positionLimit(hfConfig));
    if (maxLength < this.cfg.maxLength)
      ctx.onEvent?.({
        type: 'log',
        level: 'warn',
        message: `model.maxLength ${this.cfg.maxLength} is above the checkpoint's ${maxLength} positions: texts are cut to ${maxLength} tokens`,
      });
    this.meta = { params: this.cfg, classes: ctx.classes, hfConfig, seed: ctx.seed, maxLength, base: source.describe, baseFiles: files };
    this.build(
      headMatches(ckpt.config, ctx.classes)
        ? ckpt
        : { ...ckpt, weights: Object.fromEntries(Object.entries(ckpt.weights).filter(([n]) => n.startsWith(`${ckpt.architecture.prefix}.`))) },
      ctx.resume && peftOfArtifact(ctx.resume),
    );
    if (ctx.resume) this.assign(ctx.resume);
    ctx.onEvent?.({
      type: 'log',
      level: 'info',
      message: `${this.cfg.base} (${hfConfig.model_type}), ${this.cfg.method}: ${this.parameterCount().toLocaleString('en')} trainable parameters${this.model!.initialised.length ? `; new head: ${this.model!.initialised.join(', ')}` : ''}`,
    });

    ctx.onEvent?.({ type: 'phase', phase: 'Tokenising', done: 0, total: 1 });
    const encode = (rows: Example[]) => ({ ids: rows.map((e) => this.tokenizer!.encode(e.text, maxLength)), labels: rows.map((e) => e.label) });
    const t = this.cfg.train;
    if (t.unfreeze) checkUnfreeze(this.trainable, layerCount(hfConfig), this.cfg.method);
    const optimizer = new GroupedAdamW(this.trainable, layerCount(hfConfig), t.layerDecay, { lr: t.lr, weightDecay: t.weightDecay });
    try {
      return await fineTune(
        {
          model: this.model!,
          trainable: this.trainable,
          adapters: this.adapters(),
          overrides: this.peft?.overrides ?? new Map(),
          optimizer,
          padId: this.tokenizer.padId,
          layers: layerCount(hfConfig),
          snapshot: () => this.save(),
          probabilities: (ids) => this.probabilities(ids),
        },
        encode(train),
        ctx.validation ? encode(ctx.validation) : undefined,
        t,
        ctx,
      );
    } finally {
      optimizer.dispose();
    }
  }

  /** config.json as this run uses it: the dataset's labels, and the dropout override. */
  private runConfig(ckpt: HfCheckpoint, classes: string[]): HfConfig {
    const base = this.cfg.dropout === undefined ? ckpt.config : withDropout(ckpt.config, this.cfg.dropout);
    return {
      ...base,
      num_labels: classes.length,
      id2label: Object.fromEntries(classes.map((c, i) => [String(i), c])),
      label2id: Object.fromEntries(classes.map((c, i) => [c, i])),
    };
  }

  /** The model, its adapters and the trainable set, from a checkpoint (fresh adapters, seeded, unless a saved PEFT adapter is given). */
  private build(ckpt: HfCheckpoint, saved?: PeftAdapter): void {
    const m = this.meta!;
    this.model = EncoderModel.fromCheckpoint(ckpt, { numLabels: m.classes.length, seed: m.seed, config: m.hfConfig });
    this.model.pooling = this.cfg.pooling;
    const { method, lora, adapter } = this.cfg;
    let trainable: Map<string, tf.Variable>;
    if (saved) {
      this.peft = adapterFromPeft(this.model, saved);
      trainable = this.peft.trainable();
    } else if (method === 'lora') {
      this.peft = Lora.create(this.model, { r: lora.r, alpha: lora.alpha, dropout: lora.dropout, targetModules: lora.targetModules }, m.seed);
      trainable = this.peft.trainable();
    } else if (method === 'ia3') {
      this.peft = new Ia3(this.model);
      trainable = this.peft.trainable();
    } else if (method === 'adapter') {
      this.peft = new Bottleneck(this.model, adapter, m.seed);
      trainable = this.peft.trainable();
    } else if (method === 'bitfit') trainable = bitFitTrainable(this.model);
    else trainable = new Map([...this.model.weights].filter(([n]) => !(this.cfg.pooling === 'mean' && /\.pooler\./.test(n))));
    const frozen = (name: string) => {
      if (this.cfg.freeze.embeddings && /embeddings\./.test(name)) return true;
      const layer = /\.layer\.(\d+)\./.exec(name);
      return !!layer && Number(layer[1]) < this.cfg.freeze.layers;
    };
    this.trainable = new Map([...trainable].filter(([n]) => !frozen(n)));
    if (!this.trainable.size) throw new ConfigError(`model.freeze leaves nothing to train for method '${method}'`);
  }

  private adapters(): DenseAdapter[] {
    return this.peft ? [this.peft] : [];
  }

  /** Writes an artifact's `w.` (trained) and `init.` (fresh, frozen) tensors into the model; its PEFT tensors were read by build(). */
  private assign(a: ModelArtifact): void {
    const targets = new Map<string, tf.Variable>([
      ...[...this.model!.weights].map(([n, v]) => [`init.${n}`, v] as const),
      ...[...this.allSaved()].map(([n, v]) => [`w.${n}`, v] as const),
    ]);
    for (const [key, t] of Object.entries(a.tensors)) {
      const v = targets.get(key);
      if (v) tf.tidy(() => v.assign(tf.tensor(t.data, t.shape, 'float32')));
      else if (key.startsWith('w.') || key.startsWith('init.')) throw new Error(`pretrained artifact: tensor '${key}' matches nothing in the model`);
      else if (isPeftTensor(key) && !peftOfArtifact(a))
        throw new Error(`pretrained artifact: tensor '${key}' is a PEFT adapter's but meta.peft (its adapter_config.json) is missing`);
    }
  }

  /** What save() writes as `w.`: every weight for full fine-tuning, else the trainable set before freezing. */
  private allSaved(): Map<string, tf.Variable> {
    if (this.cfg.method === 'full') return new Map(this.model!.weights);
    if (this.peft) return this.peft.trainable();
    return bitFitTrainable(this.model!);
  }

  private async ready(): Promise<void> {
    if (this.model) return;
    if (!this.saved) throw new Error('the pretrained model is not fitted');
    this.pending ??= this.restore(this.saved);
    await this.pending;
  }

  private async restore(a: ModelArtifact): Promise<void> {
    const m = a.meta as unknown as Meta;
    const assets: AssetStore | undefined = this.env.assets;
    if (!assets) throw new ConfigError('loading a pretrained run needs the asset store (loadEstimator(artifact, { assets })) to read its base model');
    const reader = sourceFromRefs(assets, a.refs ?? [], m.baseFiles);
    this.meta = m;
    this.refs = a.refs;
    this.tokenizer = await EncoderTokenizer.fromFolder(reader);
    if (this.cfg.method === 'full') {
      const ckpt = { config: m.hfConfig } as HfCheckpoint;
      const weights = Object.fromEntries(
        Object.entries(a.tensors)
          .filter(([k]) => k.startsWith('w.'))
          .map(([k, t]) => [k.slice(2), { shape: t.shape, data: t.data as Float32Array }]),
      );
      this.build({ ...ckpt, architecture: architectureFor(m.hfConfig), weights });
    } else {
      const ckpt = await readCheckpoint(reader);
      this.build(
        headMatches(ckpt.config, m.classes)
          ? ckpt
          : { ...ckpt, weights: Object.fromEntries(Object.entries(ckpt.weights).filter(([n]) => n.startsWith(`${ckpt.architecture.prefix}.`))) },
        peftOfArtifact(a),
      );
      this.assign(a);
    }
  }

  /** Eval-mode probabilities of token id sequences, in batches of similar length. */
  private async probabilities(ids: number[][]): Promise<Float32Array[]> {
    const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
    const out: Float32Array[] = new Array(ids.length);
    for (let start = 0; start < order.length; start += 64) {
      const members = order.slice(start, start + 64);
      const enc = pad(
        members.map((i) => ids[i]),
        this.tokenizer!.padId,
      );
      const probs = tf.tidy(() =>
        tf.softmax(
          this.model!.forward(
            { inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'), attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32') },
            { adapters: this.adapters(), overrides: this.peft?.overrides },
          ).logits,
        ),
      );
      const data = (await probs.data()) as Float32Array;
      const k = probs.shape[1];
      probs.dispose();
      members.forEach((i, r) => (out[i] = data.slice(r * k, (r + 1) * k)));
    }
    return out;
  }

  async predictProba(texts: string[]): Promise<Float32Array[]> {
    await this.ready();
    return this.probabilities(texts.map((t) => this.tokenizer!.encode(t, this.meta!.maxLength)));
  }

  async explain(text: string, target?: number): Promise<TokenAttribution> {
    await this.ready();
    const ids = this.tokenizer!.encode(text, this.meta!.maxLength);
    const model = this.model!;
    const embedding = model.weights.get(`${model.architecture.prefix}.embeddings.word_embeddings.weight`);
    if (!embedding) throw new Error(`${model.architecture.prefix}: no word embedding table to attribute to`);
    const net = {
      logits: (x: tf.Tensor2D, mask: tf.Tensor2D) =>
        model.forward({ inputIds: x, attentionMask: tf.cast(mask, 'int32') }, { adapters: this.adapters(), overrides: this.peft?.overrides }).logits,
    };
    return gradientTimesInput(net, embedding, Int32Array.from(ids), this.tokenizer!.display(ids), target);
  }

  async save(): Promise<ModelArtifact> {
    await this.ready();
    const tensors: Record<string, NamedTensor> = {};
    let peft: PeftAdapter | undefined;
    if (this.peft instanceof Lora || this.peft instanceof Ia3) {
      peft = await toPeftAdapter(this.peft, this.meta!.base);
      Object.assign(tensors, peft.tensors);
    } else for (const [n, t] of Object.entries(await readTensors(this.allSaved()))) tensors[`w.${n}`] = t;
    // Fresh weights outside the trained set (a pooler a bare checkpoint lacks) are kept, so a reload is exact.
    if (this.cfg.method !== 'full')
      for (const n of this.model!.initialised)
        if (!tensors[`w.${n}`] && !tensors[`base_model.model.${n}`]) tensors[`init.${n}`] = (await readTensors(new Map([[n, this.model!.weights.get(n)!]])))[n];
    const meta = { ...this.meta!, params: this.cfg, ...(peft ? { peft: peft.config } : {}) };
    return { kind: PRETRAINED_KIND, meta: meta as unknown as Record<string, unknown>, tensors, refs: this.refs };
  }

  parameterCount(): number {
    if (!this.model && this.saved) return Object.entries(this.saved.tensors).reduce((n, [k, t]) => n + (k.startsWith('w.') || isPeftTensor(k) ? t.data.length : 0), 0);
    return [...this.trainable.values()].reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    this.peft?.dispose();
    this.peft = undefined;
    // BitFit's and full fine-tuning's trainable variables are the model's own.
    this.model?.dispose();
    this.model = undefined;
    this.pending = undefined;
    this.trainable = new Map();
  }
}
