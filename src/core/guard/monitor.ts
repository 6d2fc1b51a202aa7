/**
 * Live overfitting monitors: fed the training events as they happen, they return plain-data
 * alerts (which cross postMessage unchanged, like the events). Alerts are edge-triggered: a
 * rule fires when its condition starts holding and re-arms once it stops, so a gap that stays
 * wide for 20 epochs is one alert, not 20.
 */
import type { TrainEvent } from '../train/events';
import type { AlertAction, MonitorConfig, MonitorConfigInput } from './monitor-config';
import { parseMonitorConfig } from './monitor-config';

export type AlertRule = 'loss-gap' | 'accuracy-gap' | 'loss-gap-growth' | 'accuracy-gap-growth' | 'val-loss-rising' | 'grad-norm' | 'param-norm' | 'non-finite-loss';

export interface Alert {
  type: 'alert';
  rule: AlertRule;
  epoch: number;
  step: number;
  value: number;
  threshold: number;
  action: AlertAction;
  message: string;
}

/** One finished epoch, as the risk report and the charts want it. */
export interface EpochRow {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** Optional norms that loops may add to 'step' and 'epoch' events. */
interface Norms {
  gradNorm?: unknown;
  paramNorm?: unknown;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const r4 = (x: number): string => Number(x.toFixed(4)).toString();

export class OverfitMonitor {
  readonly config: MonitorConfig;
  private readonly rows: EpochRow[] = [];
  private readonly firing = new Set<AlertRule>();
  private bestValLoss = Number.POSITIVE_INFINITY;
  private bestEpoch = -1;
  private rising = 0;

  constructor(cfg: MonitorConfigInput | MonitorConfig = {}) {
    this.config = parseMonitorConfig(cfg);
  }

  /** The epochs seen so far (with validation metrics when the events had them). */
  history(): EpochRow[] {
    return this.rows.map((r) => ({ ...r }));
  }

  observe(e: TrainEvent): Alert[] {
    if (e.type === 'step') return this.onStep(e);
    if (e.type === 'epoch') return this.onEpoch(e);
    return [];
  }

  /** Fires on the rising edge of `holds`; re-arms when it stops holding. */
  private edge(out: Alert[], holds: boolean, alert: () => Omit<Alert, 'type'>): void {
    const a = alert();
    if (!holds) {
      this.firing.delete(a.rule);
      return;
    }
    if (this.firing.has(a.rule)) return;
    this.firing.add(a.rule);
    out.push({ type: 'alert', ...a });
  }

  private norms(out: Alert[], e: Norms, epoch: number, step: number): void {
    const c = this.config;
    const g = num(e.gradNorm);
    if (c.gradNorm.enabled && g !== undefined) {
      this.edge(out, g > c.gradNorm.max, () => ({
        rule: 'grad-norm',
        epoch,
        step,
        value: g,
        threshold: c.gradNorm.max,
        action: c.gradNorm.action,
        message: `Gradient norm ${r4(g)} exceeds ${c.gradNorm.max}: updates this large usually precede divergence; lower the learning rate or clip gradients.`,
      }));
    }
    const p = num(e.paramNorm);
    if (c.paramNorm.enabled && p !== undefined) {
      this.edge(out, p > c.paramNorm.max, () => ({
        rule: 'param-norm',
        epoch,
        step,
        value: p,
        threshold: c.paramNorm.max,
        action: c.paramNorm.action,
        message: `Parameter norm ${r4(p)} exceeds ${c.paramNorm.max}: growing weights are fitting noise; add weight decay.`,
      }));
    }
  }

  private nonFinite(out: Alert[], loss: number, epoch: number, step: number, what: string): void {
    if (!this.config.nonFinite.enabled) return;
    this.edge(out, !Number.isFinite(loss), () => ({
      rule: 'non-finite-loss',
      epoch,
      step,
      value: loss,
      threshold: 0,
      action: this.config.nonFinite.action,
      message: `The ${what} loss is ${loss}: training diverged; nothing after this point is meaningful.`,
    }));
  }

  private onStep(e: Extract<TrainEvent, { type: 'step' }>): Alert[] {
    const out: Alert[] = [];
    this.nonFinite(out, e.loss, e.epoch, e.step, 'training');
    this.norms(out, e as Norms, e.epoch, e.step);
    return out;
  }

  private onEpoch(e: Extract<TrainEvent, { type: 'epoch' }>): Alert[] {
    const c = this.config;
    const out: Alert[] = [];
    const { epoch, step } = e;
    this.nonFinite(out, e.train.loss, epoch, step, 'training');
    if (e.validation) this.nonFinite(out, e.validation.loss, epoch, step, 'validation');
    this.norms(out, e as Norms, epoch, step);
    const row: EpochRow = { epoch, trainLoss: e.train.loss, trainAccuracy: e.train.accuracy };
    if (e.validation) {
      row.valLoss = e.validation.loss;
      row.valAccuracy = e.validation.accuracy;
    }
    this.rows.push(row);
    if (row.valLoss === undefined || row.valAccuracy === undefined) return out;

    const lossGap = row.valLoss - row.trainLoss;
    const accGap = row.trainAccuracy - row.valAccuracy;
    if (c.lossGap.enabled) {
      this.edge(out, lossGap > c.lossGap.max, () => ({
        rule: 'loss-gap',
        epoch,
        step,
        value: lossGap,
        threshold: c.lossGap.max,
        action: c.lossGap.action,
        message: `Validation loss is ${r4(lossGap)} above training loss (limit ${c.lossGap.max}): the model fits the training set better than it generalises.`,
      }));
    }
    if (c.accuracyGap.enabled) {
      this.edge(out, accGap > c.accuracyGap.max, () => ({
        rule: 'accuracy-gap',
        epoch,
        step,
        value: accGap,
        threshold: c.accuracyGap.max,
        action: c.accuracyGap.action,
        message: `Training accuracy is ${r4(accGap * 100)} points above validation accuracy (limit ${r4(c.accuracyGap.max * 100)}).`,
      }));
    }

    // Gap growth: mean change per epoch over the last `window` epochs with validation metrics.
    const g = c.gapGrowth;
    const withVal = this.rows.filter((r) => r.valLoss !== undefined && r.valAccuracy !== undefined);
    if (g.enabled && withVal.length > g.window) {
      const then = withVal[withVal.length - 1 - g.window];
      const lossRate = (lossGap - (then.valLoss! - then.trainLoss)) / g.window;
      const accRate = (accGap - (then.trainAccuracy - then.valAccuracy!)) / g.window;
      this.edge(out, lossRate > g.lossPerEpoch, () => ({
        rule: 'loss-gap-growth',
        epoch,
        step,
        value: lossRate,
        threshold: g.lossPerEpoch,
        action: g.action,
        message: `The loss gap grew by ${r4(lossRate)} per epoch over the last ${g.window} epochs (limit ${g.lossPerEpoch}): overfitting is under way.`,
      }));
      this.edge(out, accRate > g.accuracyPerEpoch, () => ({
        rule: 'accuracy-gap-growth',
        epoch,
        step,
        value: accRate,
        threshold: g.accuracyPerEpoch,
        action: g.action,
        message: `The accuracy gap grew by ${r4(accRate * 100)} points per epoch over the last ${g.window} epochs (limit ${r4(g.accuracyPerEpoch * 100)}).`,
      }));
    }

    // Validation loss not below its best (by minDelta) for N epochs.
    const v = c.valLossRising;
    if (row.valLoss < this.bestValLoss - v.minDelta || this.bestEpoch < 0) {
      this.bestValLoss = row.valLoss;
      this.bestEpoch = epoch;
      this.rising = 0;
    } else this.rising++; // early-stopping patience: every epoch without a real improvement counts
    if (v.enabled) {
      const best = this.bestValLoss;
      const bestEpoch = this.bestEpoch;
      this.edge(out, this.rising >= v.epochs, () => ({
        rule: 'val-loss-rising',
        epoch,
        step,
        value: this.rising,
        threshold: v.epochs,
        action: v.action,
        message: `Validation loss has not improved on its best (${r4(best)} at epoch ${bestEpoch}) for ${this.rising} epochs: further epochs fit noise; keep the epoch-${bestEpoch} weights.`,
      }));
    }
    return out;
  }
}
