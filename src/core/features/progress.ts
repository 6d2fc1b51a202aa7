/**
 * Cooperative progress for long synchronous loops. An AbortSignal can only flip while the
 * event loop runs, so a loop that never yields cannot be cancelled: `Ticker.tick` yields a
 * macrotask at most every `everyMs` (a few per second costs well under 1% of the loop),
 * reports a `phase` event and throws CancelledError once the signal is aborted.
 */
import type { TrainEvent } from '../train/events';
import { throwIfAborted } from '../util/errors';

export interface ProgressOptions {
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
}

const yieldMacrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class Ticker {
  private last = Date.now();

  constructor(
    private readonly phase: string,
    private readonly total: number,
    private readonly opts: ProgressOptions = {},
    private readonly everyMs = 200,
  ) {
    throwIfAborted(opts.signal);
  }

  /** Cheap enough to call per document: one clock read unless it is time to report. */
  async tick(done: number): Promise<void> {
    const now = Date.now();
    if (now - this.last < this.everyMs) return;
    this.last = now;
    this.opts.onEvent?.({ type: 'phase', phase: this.phase, done, total: this.total });
    await yieldMacrotask();
    throwIfAborted(this.opts.signal);
  }

  /** Final event so listeners see done === total. */
  finish(): void {
    throwIfAborted(this.opts.signal);
    this.opts.onEvent?.({ type: 'phase', phase: this.phase, done: this.total, total: this.total });
  }
}
