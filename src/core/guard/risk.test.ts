import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../experiment/config';
import type { TrainEvent } from '../train/events';
import { OverfitMonitor } from './monitor';
import type { EpochRow } from './monitor';
import { riskReport, riskReportJson } from './risk';
import { escapeHtml, riskReportHtml } from './risk-html';
import { validateConfig } from './validate-config';

const row = (epoch: number, trainLoss: number, trainAccuracy: number, valLoss: number, valAccuracy: number): EpochRow => ({
  epoch,
  trainLoss,
  trainAccuracy,
  valLoss,
  valAccuracy,
});

const clean = [row(1, 0.7, 0.78, 0.6, 0.8), row(2, 0.45, 0.86, 0.44, 0.86), row(3, 0.38, 0.89, 0.4, 0.88), row(4, 0.35, 0.9, 0.38, 0.89)];
const overfit = [
  row(1, 0.5, 0.85, 0.45, 0.86),
  row(2, 0.25, 0.93, 0.4, 0.88),
  row(3, 0.1, 0.97, 0.46, 0.87),
  row(4, 0.03, 0.995, 0.6, 0.85),
  row(5, 0.01, 1.0, 0.8, 0.83),
  row(6, 0.004, 1.0, 1.0, 0.81),
];

const toEvent = (r: EpochRow): TrainEvent => ({
  type: 'epoch',
  epoch: r.epoch,
  step: r.epoch * 100,
  train: { loss: r.trainLoss, accuracy: r.trainAccuracy },
  validation: { loss: r.valLoss!, accuracy: r.valAccuracy!, macroF1: r.valAccuracy! },
  examplesPerSec: 1,
  seconds: 1,
});

describe('riskReport', () => {
  const config = parseExperimentConfig({ model: { type: 'fasttext', train: { epochs: 6 } } });

  it('scores a clean run low', () => {
    const r = riskReport({ findings: [], alerts: [], history: clean, config, overridden: false });
    expect(r.score).toBeLessThan(20);
    expect(r.level).toBe('low');
    expect(r.components.map((c) => c.name)).toEqual(['generalisation-gap', 'validation-trend', 'train-saturation', 'config-findings', 'live-alerts', 'override']);
    for (const c of r.components) expect(c.score).toBeGreaterThanOrEqual(0);
    expect(r.recommendations).toEqual([]);
  });

  it('scores a clearly overfitting run high and recommends regularisation and fewer epochs', () => {
    const monitor = new OverfitMonitor();
    const alerts = overfit.flatMap((r) => monitor.observe(toEvent(r)));
    expect(alerts.map((a) => a.rule)).toContain('val-loss-rising');
    const findings = validateConfig(config, { train: 2_000, validation: 400, classes: 4 });
    const r = riskReport({ findings, alerts, history: monitor.history(), config, overridden: { overridden: true, reason: 'quick test', findings } });
    expect(r.score).toBeGreaterThanOrEqual(70);
    expect(r.level).toBe('high');
    expect(r.recommendations.join('\n')).toMatch(/more regularisation/);
    expect(r.recommendations.join('\n')).toMatch(/fewer epochs \(model\.train\.epochs: 2\)/);
    expect(r.recommendations).toContain('Use early stopping: keep the weights of the best validation epoch.');
    const trend = r.components.find((c) => c.name === 'validation-trend')!;
    expect(trend.explanation).toMatch(/best at epoch 2 .* rose for 4 epochs/);
    expect(r.components.find((c) => c.name === 'override')!.explanation).toContain('"quick test"');
  });

  it('does not call a run without validation history safe by default', () => {
    const r = riskReport({ history: [{ epoch: 1, trainLoss: 0.1, trainAccuracy: 1 }] });
    expect(r.components.filter((c) => c.weight === 0)).toHaveLength(3);
    expect(r.recommendations[0]).toMatch(/Record validation loss/);
  });

  it('says a single-pass model could not be judged instead of scoring it 0, "low"', () => {
    const r = riskReport({ history: [] });
    expect(r.judged).toBe(false);
    expect(r.components.filter((c) => c.weight === 0).map((c) => c.explanation)).toEqual(Array(3).fill(expect.stringMatching(/^Not applicable: .*single pass/)));
    expect(r.recommendations).toEqual([]);
    expect(riskReportHtml(r)).toMatch(/could not be judged/);
    expect(riskReportHtml(r)).not.toMatch(/\/ 100/);
  });

  it('judges a run without history when a finding or an override raises the risk', () => {
    expect(riskReport({ history: [], overridden: true }).judged).toBe(true);
    expect(riskReport({ history: overfit }).judged).toBe(true);
  });

  it('is JSON-serialisable', () => {
    const r = riskReport({ history: overfit });
    expect(JSON.parse(riskReportJson(r))).toEqual(r);
  });
});

describe('riskReportHtml', () => {
  it('produces a self-contained page with every text escaped', () => {
    const r = riskReport({ history: overfit, overridden: { overridden: true, reason: '<script>alert("x")</script> & more', findings: [] } });
    const html = riskReportHtml(r, 'Run <r-1>');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Run &lt;r-1&gt;</title>');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).not.toMatch(/(src|href)=["']?https?:/); // nothing fetched from outside
    // The embedded JSON cannot close its element early, and still parses back to the report.
    const json = html.match(/<script type="application\/json" id="risk-report">([\s\S]*?)<\/script>/)![1];
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual(r);
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('escapes quotes and ampersands', () => {
    expect(escapeHtml(`a<b>"c"&'d'`)).toBe('a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;');
  });
});
