/**
 * Overfitting risk score of a run, 0 (no sign) to 100 (clearly overfit), from everything the
 * guard saw: pre-training findings, live alerts, the epoch history, and whether a block was
 * overridden. Each component explains its number, so the score is an argument, not an oracle.
 * Components without evidence (no validation history) get weight 0 rather than a reassuring 0,
 * and a report with no evidence at all says so (`judged: false`) instead of scoring 0, "low".
 */
import type { ExperimentConfig } from '../experiment/config';
import type { Alert, EpochRow } from './monitor';
import type { ConfigSafetyRecord, Finding } from './validate-config';

export interface RiskComponent {
  name: 'generalisation-gap' | 'validation-trend' | 'train-saturation' | 'config-findings' | 'live-alerts' | 'override';
  /** 0-100. */
  score: number;
  weight: number;
  explanation: string;
}

export interface RiskReport {
  /**
   * Whether there was anything to judge: a validation history, or a finding, alert or override
   * that raises the risk. When false, `score` and `level` are 0 and "low" only for readers of
   * older reports; every display says "could not be judged" instead.
   */
  judged: boolean;
  score: number;
  level: 'low' | 'medium' | 'high';
  components: RiskComponent[];
  recommendations: string[];
}

export interface RiskInput {
  findings?: Finding[];
  alerts?: Alert[];
  history?: EpochRow[];
  config?: ExperimentConfig;
  overridden?: boolean | ConfigSafetyRecord;
}

/** Gaps at which the gap component saturates: 15 accuracy points, or 1 nat of loss. */
const FULL_ACCURACY_GAP = 0.15;
const FULL_LOSS_GAP = 1.0;
/** Component weights: the measured history counts most, the config's promise least. */
const WEIGHTS = { gap: 0.3, trend: 0.25, saturation: 0.1, findings: 0.15, alerts: 0.15, override: 0.05 };
export const RISK_LEVELS = { medium: 30, high: 60 };

const clamp = (x: number): number => Math.max(0, Math.min(100, Math.round(x)));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function riskReport(input: RiskInput): RiskReport {
  const findings = input.findings ?? [];
  const alerts = input.alerts ?? [];
  const rows = (input.history ?? []).filter((r) => r.valLoss !== undefined && r.valAccuracy !== undefined);
  const overridden = typeof input.overridden === 'object' ? input.overridden.overridden : input.overridden === true;
  const components: RiskComponent[] = [];
  const recs = new Set<string>();
  const last = rows[rows.length - 1];

  if (last) {
    const accGap = last.trainAccuracy - last.valAccuracy!;
    const lossGap = last.valLoss! - last.trainLoss;
    const score = clamp(Math.max(accGap / FULL_ACCURACY_GAP, lossGap / FULL_LOSS_GAP) * 100);
    components.push({
      name: 'generalisation-gap',
      score,
      weight: WEIGHTS.gap,
      explanation: `At the last epoch (${last.epoch}) train accuracy is ${pct(last.trainAccuracy)} and validation ${pct(last.valAccuracy!)} (gap ${pct(accGap)}); validation loss exceeds train loss by ${lossGap.toFixed(3)}.`,
    });
    if (score >= 40) recs.add('Add more regularisation (dropout, weight decay, label smoothing) or use a smaller model: the train-validation gap is wide.');

    // Trend: how far validation got worse after its best epoch, and for how long.
    let best = 0;
    for (let k = 1; k < rows.length; k++) if (rows[k].valLoss! < rows[best].valLoss!) best = k;
    const after = rows.length - 1 - best;
    const lossRise = last.valLoss! - rows[best].valLoss!;
    const bestAcc = Math.max(...rows.map((r) => r.valAccuracy!));
    const accDrop = bestAcc - last.valAccuracy!;
    const trend = rows.length < 2 ? 0 : clamp(Math.min(after, 5) * 12 + (lossRise / Math.max(1e-9, rows[best].valLoss!)) * 100 + accDrop * 400);
    components.push({
      name: 'validation-trend',
      score: trend,
      weight: WEIGHTS.trend,
      explanation:
        after === 0
          ? `Validation loss was still at its best in the last epoch (${rows[best].valLoss!.toFixed(3)}).`
          : `Validation loss was best at epoch ${rows[best].epoch} (${rows[best].valLoss!.toFixed(3)}) and rose for ${after} epoch${after > 1 ? 's' : ''} to ${last.valLoss!.toFixed(3)}; validation accuracy fell ${pct(accDrop)} from its best.`,
    });
    if (trend >= 40) {
      // Where the config keeps its epochs: a training loop's `train.epochs`, or the model's own (SGD on TF-IDF).
      const m = input.config?.model as Record<string, unknown> | undefined;
      const field = m && typeof m.train !== 'object' && typeof m.epochs === 'number' ? 'model.epochs' : 'model.train.epochs';
      recs.add(`Train for fewer epochs (${field}: ${rows[best].epoch}) or stop early: validation loss was best at epoch ${rows[best].epoch}.`);
    }

    const sat = clamp(((last.trainAccuracy - 0.95) / 0.05) * 100 * Math.min(1, Math.max(0, accGap) / 0.03));
    components.push({
      name: 'train-saturation',
      score: sat,
      weight: WEIGHTS.saturation,
      explanation: `Training accuracy ${pct(last.trainAccuracy)}${sat > 0 ? ' with a validation gap: the training set is being memorised.' : '.'}`,
    });
  } else {
    // A model fitted in one pass (Naive Bayes, L-BFGS on TF-IDF) has no epochs at all: asking
    // it to record validation every epoch is advice nobody can act on.
    const singlePass = (input.history ?? []).length === 0;
    const why = singlePass
      ? 'Not applicable: this model is fitted in a single pass, with no epochs to compare train and validation over.'
      : 'No epochs with validation metrics were recorded, so this could not be judged.';
    for (const name of ['generalisation-gap', 'validation-trend', 'train-saturation'] as const) components.push({ name, score: 0, weight: 0, explanation: why });
    if (!singlePass) recs.add('Record validation loss and accuracy every epoch: without them overfitting cannot be measured.');
  }

  const blocks = findings.filter((f) => f.severity === 'block').length;
  const warns = findings.filter((f) => f.severity === 'warn').length;
  components.push({
    name: 'config-findings',
    score: clamp(blocks * 60 + warns * 25),
    weight: WEIGHTS.findings,
    explanation:
      findings.length === 0
        ? 'The pre-training checks found nothing.'
        : `Pre-training checks: ${blocks} blocking, ${warns} warning, ${findings.length - blocks - warns} informational.`,
  });
  for (const f of findings) if (f.severity !== 'info') for (const alt of f.saferAlternatives) recs.add(`Config: ${alt}`);

  const halts = alerts.filter((a) => a.action === 'halt').length;
  const other = alerts.length - halts;
  const rules = [...new Set(alerts.map((a) => a.rule))];
  components.push({
    name: 'live-alerts',
    score: clamp(halts * 60 + other * 20),
    weight: WEIGHTS.alerts,
    explanation:
      alerts.length === 0
        ? 'No monitor raised an alert during training.'
        : `${alerts.length} alert${alerts.length > 1 ? 's' : ''} during training (${rules.join(', ')}), ${halts} asking to halt.`,
  });
  if (rules.includes('val-loss-rising')) recs.add('Use early stopping: keep the weights of the best validation epoch.');
  if (rules.includes('grad-norm') || rules.includes('non-finite-loss')) recs.add('Lower the learning rate or clip gradients (model.train.clipNorm: 1).');
  if (rules.includes('param-norm')) recs.add('Add weight decay: parameter norms kept growing.');

  components.push({
    name: 'override',
    score: overridden ? 100 : 0,
    weight: WEIGHTS.override,
    explanation: overridden
      ? `A blocking check was overridden${typeof input.overridden === 'object' && input.overridden.reason ? `: "${input.overridden.reason}"` : ''}.`
      : 'No check was overridden.',
  });

  const judged = !!last || blocks > 0 || warns > 0 || alerts.length > 0 || overridden;
  const total = components.reduce((s, c) => s + c.weight, 0);
  const score = total === 0 ? 0 : clamp(components.reduce((s, c) => s + c.score * c.weight, 0) / total);
  const level = score >= RISK_LEVELS.high ? 'high' : score >= RISK_LEVELS.medium ? 'medium' : 'low';
  if (level !== 'low' && recs.size === 0) recs.add('Re-run with a larger validation split to confirm the risk before trusting the score.');
  return { judged, score, level, components, recommendations: [...recs] };
}

/** The report as JSON text, for files and the CLI. */
export function riskReportJson(report: RiskReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
