/**
 * Thresholds of the live overfitting monitors, validated with zod so that configs from files
 * and the UI get defaults and clear errors. Each rule names its action: 'warn' reports,
 * 'reduce-lr' asks the loop to lower the learning rate, 'halt' asks it to stop (the monitor
 * only says so; the training loop decides how to act on it).
 */
import { z } from 'zod';
import { ConfigError } from '../util/errors';

export const alertActions = ['warn', 'halt', 'reduce-lr'] as const;
export type AlertAction = (typeof alertActions)[number];

const action = (d: AlertAction) => z.enum(alertActions).default(d);
const enabled = z.boolean().default(true);

export const monitorConfigSchema = z
  .object({
    /**
     * Validation loss minus train loss. 0.3 nats: on a 4-class task (chance loss ln 4 = 1.39)
     * that is a fifth of the whole range, well past noise between two batches.
     */
    lossGap: z
      .object({ enabled, max: z.number().positive().default(0.3), action: action('warn') })
      .strict()
      .prefault({}),
    /** Train accuracy minus validation accuracy; 0.08 is ~3x the noise of a 3k-example validation set. */
    accuracyGap: z
      .object({ enabled, max: z.number().positive().max(1).default(0.08), action: action('warn') })
      .strict()
      .prefault({}),
    /**
     * Growth of the gaps per epoch, averaged over `window` epochs: a gap that keeps widening is
     * overfitting in progress even while it is still small.
     */
    gapGrowth: z
      .object({
        enabled,
        window: z.number().int().min(2).max(50).default(3),
        lossPerEpoch: z.number().positive().default(0.05),
        accuracyPerEpoch: z.number().positive().default(0.02),
        action: action('warn'),
      })
      .strict()
      .prefault({}),
    /** Validation loss not improved on its best for `epochs` epochs: early stopping's patience. */
    valLossRising: z
      .object({
        enabled,
        epochs: z.number().int().min(1).max(100).default(3),
        /** An epoch must beat the best by this much to count as an improvement (noise). */
        minDelta: z.number().min(0).default(0.001),
        action: action('halt'),
      })
      .strict()
      .prefault({}),
    /** Gradient norm (from events that carry `gradNorm`): spikes precede divergence. */
    gradNorm: z
      .object({ enabled, max: z.number().positive().default(100), action: action('reduce-lr') })
      .strict()
      .prefault({}),
    /** Parameter norm (events with `paramNorm`): steady growth means weights are fitting noise. */
    paramNorm: z
      .object({ enabled, max: z.number().positive().default(10_000), action: action('warn') })
      .strict()
      .prefault({}),
    /** A NaN or infinite loss: nothing after it is meaningful. */
    nonFinite: z
      .object({ enabled, action: action('halt') })
      .strict()
      .prefault({}),
  })
  .strict();

export type MonitorConfig = z.output<typeof monitorConfigSchema>;
export type MonitorConfigInput = z.input<typeof monitorConfigSchema>;

export const DEFAULT_MONITOR_CONFIG: MonitorConfig = monitorConfigSchema.parse({});

/** Validates (and fills defaults of) monitor thresholds; ConfigError lists every problem by path. */
export function parseMonitorConfig(input: unknown = {}): MonitorConfig {
  const r = monitorConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new ConfigError(`Invalid monitor config: ${issues.join('; ')}`, issues);
}
