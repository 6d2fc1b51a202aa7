/**
 * Terminal output for long work, all on stderr, so that with `--json` stdout carries nothing
 * but the final record. On a terminal: a progress bar. Anywhere else (a CI log, nohup, a batch
 * job's log file) a bar draws nothing useful, so plain progress lines are printed at a steady
 * interval instead: phase, step of total, epoch of total, examples/s and the time left.
 */
import cliProgress from 'cli-progress';
import type { LabEvent } from '../core/lab/api';

export interface ReporterOptions {
  /** Plain lines instead of a bar. Default: when stderr is not a terminal. */
  plain?: boolean;
  /** Milliseconds between plain progress lines. Default AGNEWS_PROGRESS_SECONDS (10 s). */
  everyMs?: number;
  now?: () => number;
  write?: (text: string) => void;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Reporter {
  private bar?: cliProgress.SingleBar;
  private phase = '';
  private readonly plain: boolean;
  private readonly everyMs: number;
  private readonly now: () => number;
  private readonly write: (text: string) => void;
  private lastLine = -Infinity;
  /** First step seen and when: the rate (and so the ETA) is measured from there. */
  private start?: { step: number; at: number };

  constructor(
    private readonly quiet = false,
    opts: ReporterOptions = {},
  ) {
    this.plain = opts.plain ?? !process.stderr.isTTY;
    const env = Number(process.env.AGNEWS_PROGRESS_SECONDS);
    this.everyMs = opts.everyMs ?? (Number.isFinite(env) && env > 0 ? env * 1000 : 10_000);
    this.now = opts.now ?? (() => performance.now());
    this.write = opts.write ?? ((t) => void process.stderr.write(t));
  }

  log(message: string): void {
    if (this.quiet) return;
    this.bar?.stop();
    this.bar = undefined;
    this.write(message + '\n');
  }

  onEvent = (e: LabEvent): void => {
    if (this.quiet) return;
    switch (e.type) {
      case 'run-started':
        this.start = undefined;
        this.log(`run ${e.runId} on ${e.backend.backend}${e.backend.adapter ? ` (${e.backend.adapter.vendor} ${e.backend.adapter.architecture})` : ''}`);
        for (const s of e.backend.skipped) this.log(`  skipped ${s.backend}: ${s.reason}`);
        break;
      case 'phase':
      case 'import-progress': {
        const text = e.type === 'phase' ? e.phase : e.message;
        if (text !== this.phase) this.log(`${text}…`);
        else if (this.plain && e.total > 1 && this.due()) this.log(`progress: ${text} | ${e.done} of ${e.total} (${Math.floor((100 * e.done) / e.total)}%)`);
        this.phase = text;
        break;
      }
      case 'log':
        this.log(`${e.level === 'warn' ? 'warning: ' : ''}${e.message}`);
        break;
      case 'step':
        if (this.plain) this.plainStep(e);
        else this.barStep(e);
        break;
      case 'epoch': {
        const v = e.validation ? ` | val loss ${e.validation.loss.toFixed(4)} acc ${e.validation.accuracy.toFixed(4)} macro-F1 ${e.validation.macroF1.toFixed(4)}` : '';
        const t = Number.isFinite(e.train.loss) ? ` | train loss ${e.train.loss.toFixed(4)} acc ${e.train.accuracy.toFixed(4)}` : '';
        this.log(`epoch ${e.epoch}${t}${v} | ${e.seconds.toFixed(1)} s`);
        break;
      }
      default:
        break;
    }
  };

  private due(): boolean {
    const t = this.now();
    if (t - this.lastLine < this.everyMs) return false;
    this.lastLine = t;
    return true;
  }

  private plainStep(e: Extract<LabEvent, { type: 'step' }>): void {
    const t = this.now();
    this.start ??= { step: e.step, at: t };
    if (!this.due()) return;
    const parts = [`progress: ${this.phase || 'training'}`];
    parts.push(e.totalSteps ? `step ${e.step} of ${e.totalSteps} (${Math.floor((100 * e.step) / e.totalSteps)}%)` : `step ${e.step}`);
    parts.push(e.totalEpochs ? `epoch ${e.epoch} of ${e.totalEpochs}` : `epoch ${e.epoch}`);
    parts.push(`${Math.round(e.examplesPerSec)} examples/s`);
    parts.push(`loss ${e.loss.toFixed(4)}`);
    const done = e.step - this.start.step;
    const seconds = (t - this.start.at) / 1000;
    if (e.totalSteps && done > 0 && seconds > 0) parts.push(`ETA ${formatDuration(((e.totalSteps - e.step) * seconds) / done)}`);
    else if (e.totalSteps) parts.push('ETA measuring');
    this.log(parts.join(' | '));
  }

  private barStep(e: Extract<LabEvent, { type: 'step' }>): void {
    if (!this.bar && e.totalSteps) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'train [{bar}] {percentage}% | step {value}/{total} | epoch {epoch} | loss {loss} | acc {acc} | {eps} ex/s | ETA {eta_formatted}',
          hideCursor: false,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(e.totalSteps, 0, { epoch: e.epoch, loss: '-', acc: '-', eps: '-' });
    }
    this.bar?.update(e.step, {
      epoch: e.totalEpochs ? `${e.epoch}/${e.totalEpochs}` : e.epoch,
      loss: e.loss.toFixed(4),
      acc: e.accuracy.toFixed(3),
      eps: Math.round(e.examplesPerSec),
    });
  }

  close(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
