/**
 * Terminal output for long work: a progress bar and log lines, all on stderr, so that with
 * `--json` stdout carries nothing but the final record.
 */
import cliProgress from 'cli-progress';
import type { LabEvent } from '../core/lab/api';

export class Reporter {
  private bar?: cliProgress.SingleBar;
  private phase = '';

  constructor(private readonly quiet = false) {}

  log(message: string): void {
    if (this.quiet) return;
    this.bar?.stop();
    this.bar = undefined;
    process.stderr.write(message + '\n');
  }

  onEvent = (e: LabEvent): void => {
    if (this.quiet) return;
    switch (e.type) {
      case 'run-started':
        this.log(`run ${e.runId} on ${e.backend.backend}${e.backend.adapter ? ` (${e.backend.adapter.vendor} ${e.backend.adapter.architecture})` : ''}`);
        for (const s of e.backend.skipped) this.log(`  skipped ${s.backend}: ${s.reason}`);
        break;
      case 'phase':
      case 'import-progress': {
        const text = e.type === 'phase' ? e.phase : e.message;
        if (text !== this.phase) this.log(`${text}…`);
        this.phase = text;
        break;
      }
      case 'log':
        this.log(`${e.level === 'warn' ? 'warning: ' : ''}${e.message}`);
        break;
      case 'step':
        if (!this.bar && e.totalSteps) {
          this.bar = new cliProgress.SingleBar(
            { stream: process.stderr, format: 'train [{bar}] {percentage}% | step {value}/{total} | epoch {epoch} | loss {loss} | acc {acc} | {eps} ex/s', hideCursor: false },
            cliProgress.Presets.shades_classic,
          );
          this.bar.start(e.totalSteps, 0, { epoch: e.epoch, loss: '-', acc: '-', eps: '-' });
        }
        this.bar?.update(e.step, { epoch: e.epoch, loss: e.loss.toFixed(4), acc: e.accuracy.toFixed(3), eps: Math.round(e.examplesPerSec) });
        break;
      case 'epoch': {
        const v = e.validation ? ` | val loss ${e.validation.loss.toFixed(4)} acc ${e.validation.accuracy.toFixed(4)} macro-F1 ${e.validation.macroF1.toFixed(4)}` : '';
        const t = Number.isFinite(e.train.loss) ? ` | train loss ${e.train.loss.toFixed(4)} acc ${e.train.accuracy.toFixed(4)}` : '';
        this.bar?.stop();
        this.bar = undefined;
        this.log(`epoch ${e.epoch}${t}${v} | ${e.seconds.toFixed(1)} s`);
        break;
      }
      default:
        break;
    }
  };

  close(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
