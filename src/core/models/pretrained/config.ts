/**
 * The pretrained tier's config: a base checkpoint (Hub id or folder), how it is adapted (full
 * fine-tuning or a PEFT method), and the fine-tuning loop. Defaults follow the common BERT recipe
 * (Devlin et al. 2019; Hugging Face's Trainer): AdamW at 2e-5, batch 32, 3 epochs, 10% linear
 * warm-up then linear decay, weight decay 0.01, gradient clipping at 1.0, length 128.
 */
import { z } from 'zod';
import { loopFields } from '../../train/loop-config';
import { techniquesSchema } from '../../train/techniques/config';

/** `hf:OWNER/NAME[@REV]` (the asset store's Hub form), a `file:` folder (Node) or a `store:` folder in the lab's store (a pretrain output). */
const BASE = /^(hf:[\w.-]+\/[\w.-]+(@[\w.\-/%]+)?|file:.+|store:[\w.\-/]+)$/;

// The loop settings shared with the neural tier, with the BERT recipe's defaults; the pretrained
// loop adds its warm-up ratio and layer-wise decay and keeps the recipe's own schedule names.
const loop = loopFields({ lr: 2e-5, batchSize: 32, epochs: 3, weightDecay: 0.01, clipNorm: 1, logEvery: 10 });

const trainSchema = z
  .object({
    lr: loop.lr,
    batchSize: loop.batchSize,
    epochs: loop.epochs,
    weightDecay: loop.weightDecay,
    /** Fraction of the optimizer steps spent warming the learning rate up from 0. */
    warmupRatio: z.number().min(0).max(1).default(0.1),
    schedule: loop.schedule,
    /** Layer-wise learning-rate decay: layer i of L trains at lr * layerDecay^(L + 1 - i); 1 = off. */
    layerDecay: z.number().positive().max(1).default(1),
    /**
     * Gradual unfreezing (Howard & Ruder 2018): the head alone trains for the first `every` epochs
     * (or optimizer steps), then one more encoder layer from the top each period, then the
     * embeddings; null trains everything from the start. See unfreeze.ts.
     */
    unfreeze: z
      .object({
        every: z.number().int().min(1),
        unit: z.enum(['epoch', 'step']).default('epoch'),
        from: z.literal('top').default('top'),
      })
      .strict()
      .nullable()
      .default(null),
    techniques: techniquesSchema,
    clipNorm: loop.clipNorm,
    /** Batches whose gradients are averaged before one optimizer step. */
    accumulate: loop.accumulate,
    earlyStopping: loop.earlyStopping,
    checkpointEvery: loop.checkpointEvery,
    evalEvery: loop.evalEvery,
    logEvery: loop.logEvery,
  })
  .strict()
  .prefault({});

export const pretrainedSchema = z
  .object({
    type: z.literal('pretrained'),
    /** Default: DistilBERT, the smallest of the encoders AG News studies report (94.2%). */
    base: z.string().regex(BASE, 'model.base: expected hf:OWNER/NAME[@REV], a file: folder or a store: folder').default('hf:distilbert/distilbert-base-uncased'),
    method: z.enum(['full', 'lora', 'ia3', 'bitfit', 'adapter']).default('full'),
    lora: z
      .object({
        r: z.number().int().min(1).max(1024).default(8),
        alpha: z.number().positive().default(16),
        dropout: z.number().min(0).max(0.9).default(0.1),
        /** PEFT's target_modules: names (suffix match) or one regular expression; default the architecture's. */
        targetModules: z.union([z.array(z.string()).min(1), z.string()]).optional(),
      })
      .strict()
      .prefault({}),
    /** Bottleneck adapters (adapters.ts), defaults as AdapterHub's: reduction 16, ReLU. */
    adapter: z
      .object({
        /** 'houlsby': after the attention and the feed-forward outputs; 'pfeiffer': after the feed-forward output only. */
        placement: z.enum(['houlsby', 'pfeiffer']).default('pfeiffer'),
        /** Bottleneck width = floor(hidden / reduction). */
        reduction: z.number().positive().default(16),
        /** An explicit bottleneck width; replaces `reduction`. */
        size: z.number().int().min(1).optional(),
        nonLinearity: z.enum(['relu', 'gelu', 'gelu_new', 'tanh', 'silu', 'swish']).default('relu'),
        /** Train the encoder layers' LayerNorm weights too, as Houlsby et al. did. */
        trainLayerNorms: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Tokens per text after truncation (at most the checkpoint's position table). */
    maxLength: z.number().int().min(4).max(4096).default(128),
    /** 'cls': the checkpoint's own head; 'mean': the mean of the last hidden states into `classifier`. */
    pooling: z.enum(['cls', 'mean']).default('cls'),
    /** Replaces every dropout probability of the checkpoint's config.json. */
    dropout: z.number().min(0).max(0.9).optional(),
    freeze: z
      .object({
        embeddings: z.boolean().default(false),
        /** The first N encoder layers take no updates. */
        layers: z.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    train: trainSchema,
  })
  .strict();

export type PretrainedConfig = z.output<typeof pretrainedSchema>;
export type PretrainedTrain = PretrainedConfig['train'];
