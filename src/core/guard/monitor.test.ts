import { describe, expect, it } from 'vitest';
import type { TrainEvent } from '../train/events';
import { ConfigError } from '../util/errors';
import { OverfitMonitor } from './monitor';
import type { Alert } from './monitor';
import { DEFAULT_MONITOR_CONFIG, parseMonitorConfig } from './monitor-config';

type Row = [trainLoss: number, trainAcc: number, valLoss: number, valAcc: number];

const epochEvent = (epoch: number, [tl, ta, vl, va]: Row, extra: object = {}): TrainEvent =>
  ({
    type: 'epoch',
    epoch,
    step: epoch * 100,
    train: { loss: tl, accuracy: ta },
    validation: { loss: vl, accuracy: va, macroF1: va },
    examplesPerSec: 1,
    seconds: 1,
    ...extra,
  }) as TrainEvent;

const stepEvent = (step: number, loss: number, extra: object = {}): TrainEvent =>
  ({ type: 'step', step, epoch: 1, loss, accuracy: 0.5, lr: 0.01, examplesPerSec: 1, ...extra }) as TrainEvent;

function run(m: OverfitMonitor, rows: Row[]): Alert[] {
  return rows.flatMap((r, k) => m.observe(epochEvent(k + 1, r)));
}

/** Only the listed rules, so each test checks one monitor in isolation. */
function only(...rules: string[]): OverfitMonitor {
  const keys = ['lossGap', 'accuracyGap', 'gapGrowth', 'valLossRising', 'gradNorm', 'paramNorm', 'nonFinite'];
  return new OverfitMonitor(Object.fromEntries(keys.map((k) => [k, { enabled: rules.includes(k) }])));
}

const healthy: Row[] = [
  [1.0, 0.6, 1.02, 0.59],
  [0.6, 0.8, 0.63, 0.79],
  [0.45, 0.86, 0.48, 0.85],
  [0.4, 0.88, 0.44, 0.87],
  [0.38, 0.89, 0.43, 0.875],
];

describe('monitor thresholds', () => {
  it('has sensible defaults and rejects bad values by path', () => {
    expect(DEFAULT_MONITOR_CONFIG.valLossRising).toEqual({ enabled: true, epochs: 3, minDelta: 0.001, action: 'halt' });
    expect(DEFAULT_MONITOR_CONFIG.gradNorm.action).toBe('reduce-lr');
    expect(parseMonitorConfig({ lossGap: { max: 0.5 } }).lossGap).toEqual({ enabled: true, max: 0.5, action: 'warn' });
    expect(() => parseMonitorConfig({ lossGap: { action: 'explode' } })).toThrow(ConfigError);
    expect(() => parseMonitorConfig({ gapGrowth: { window: 1 } })).toThrow(/gapGrowth.window/);
  });
});

describe('OverfitMonitor', () => {
  it('stays silent on a healthy run and records the history', () => {
    const m = new OverfitMonitor();
    expect(run(m, healthy)).toEqual([]);
    expect(m.history()).toHaveLength(5);
    expect(m.history()[4]).toEqual({ epoch: 5, trainLoss: 0.38, trainAccuracy: 0.89, valLoss: 0.43, valAccuracy: 0.875 });
  });

  it('alerts once when the loss gap crosses its limit, and re-arms after it closes', () => {
    const m = only('lossGap');
    const alerts = run(m, [
      [0.5, 0.8, 0.6, 0.8],
      [0.2, 0.9, 0.6, 0.85],
      [0.1, 0.95, 0.7, 0.85],
      [0.5, 0.8, 0.55, 0.8],
      [0.1, 0.95, 0.8, 0.8],
    ]);
    expect(alerts.map((a) => [a.rule, a.epoch])).toEqual([
      ['loss-gap', 2],
      ['loss-gap', 5],
    ]);
    expect(alerts[0]).toMatchObject({ type: 'alert', step: 200, threshold: 0.3, action: 'warn' });
    expect(alerts[0].value).toBeCloseTo(0.4);
  });

  it('alerts on the accuracy gap', () => {
    const alerts = run(only('accuracyGap'), [
      [0.3, 0.9, 0.35, 0.88],
      [0.1, 0.99, 0.4, 0.89],
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'accuracy-gap', epoch: 2, threshold: 0.08 });
    expect(alerts[0].message).toMatch(/10 points above validation/);
  });

  it('alerts on gap growth over the window, before the gap itself is large', () => {
    const m = new OverfitMonitor({
      lossGap: { enabled: false },
      accuracyGap: { enabled: false },
      valLossRising: { enabled: false },
      gapGrowth: { window: 3, action: 'reduce-lr' },
    });
    // Loss gap 0.00, 0.06, 0.12, 0.18, 0.24: +0.06 per epoch > 0.05; accuracy gap +0.025/epoch > 0.02.
    const rows: Row[] = [0, 1, 2, 3, 4].map((k) => [0.5 - 0.03 * k, 0.8 + 0.0125 * k, 0.5 + 0.03 * k, 0.8 - 0.0125 * k]);
    const alerts = run(m, rows);
    expect(alerts.map((a) => [a.rule, a.epoch, a.action])).toEqual([
      ['loss-gap-growth', 4, 'reduce-lr'],
      ['accuracy-gap-growth', 4, 'reduce-lr'],
    ]);
    expect(alerts[0].value).toBeCloseTo(0.06);
    expect(alerts[1].value).toBeCloseTo(0.025);
  });

  it('halts when validation loss has not improved for N epochs', () => {
    const m = new OverfitMonitor({ valLossRising: { epochs: 2 }, lossGap: { enabled: false }, accuracyGap: { enabled: false }, gapGrowth: { enabled: false } });
    const alerts = run(m, [
      [0.6, 0.8, 0.5, 0.8],
      [0.5, 0.85, 0.45, 0.84],
      [0.4, 0.88, 0.47, 0.84],
      [0.3, 0.9, 0.5, 0.83],
      [0.2, 0.93, 0.55, 0.82],
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'val-loss-rising', epoch: 4, value: 2, threshold: 2, action: 'halt' });
    expect(alerts[0].message).toMatch(/best \(0.45 at epoch 2\).*keep the epoch-2 weights/);
  });

  it('ignores validation wiggles smaller than minDelta as improvements', () => {
    const m = only('valLossRising');
    const alerts = run(m, [
      [0.5, 0.8, 0.5, 0.8],
      [0.5, 0.8, 0.4995, 0.8],
      [0.5, 0.8, 0.4992, 0.8],
      [0.5, 0.8, 0.4991, 0.8],
    ]);
    expect(alerts.map((a) => a.epoch)).toEqual([4]);
  });

  it('watches gradient and parameter norms when events carry them, on steps and epochs', () => {
    const m = only('gradNorm', 'paramNorm');
    expect(m.observe(stepEvent(1, 1.0))).toEqual([]); // no norms: nothing to check
    expect(m.observe(stepEvent(2, 1.0, { gradNorm: 5, paramNorm: 50 }))).toEqual([]);
    const a = m.observe(stepEvent(3, 1.0, { gradNorm: 250 }));
    expect(a).toEqual([expect.objectContaining({ type: 'alert', rule: 'grad-norm', step: 3, value: 250, threshold: 100, action: 'reduce-lr' })]);
    expect(m.observe(stepEvent(4, 1.0, { gradNorm: 300 }))).toEqual([]); // still firing: no repeat
    const p = m.observe(epochEvent(1, [0.5, 0.8, 0.5, 0.8], { paramNorm: 2e4 }));
    expect(p).toEqual([expect.objectContaining({ rule: 'param-norm', value: 2e4, action: 'warn' })]);
  });

  it('halts on a non-finite loss', () => {
    const m = new OverfitMonitor();
    expect(m.observe(stepEvent(1, Number.NaN))).toEqual([expect.objectContaining({ rule: 'non-finite-loss', action: 'halt' })]);
  });

  it('ignores epochs without validation metrics for the gap rules, and non-metric events', () => {
    const m = new OverfitMonitor();
    expect(m.observe({ type: 'log', level: 'info', message: 'hi' })).toEqual([]);
    expect(m.observe({ type: 'epoch', epoch: 1, step: 10, train: { loss: 0.01, accuracy: 1 }, examplesPerSec: 1, seconds: 1 })).toEqual([]);
    expect(m.history()).toEqual([{ epoch: 1, trainLoss: 0.01, trainAccuracy: 1 }]);
  });

  it('produces plain data alerts (structured-clone safe)', () => {
    const alerts = run(only('lossGap'), [[0.1, 0.9, 0.9, 0.7]]);
    expect(structuredClone(alerts)).toEqual(alerts);
    expect(Object.getPrototypeOf(alerts[0])).toBe(Object.prototype);
  });
});
