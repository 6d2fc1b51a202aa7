/**
 * Micro-batching: texts of requests that arrive together go to the model in one call, which is
 * where the throughput comes from (one matrix product instead of many). A batch leaves when it
 * holds `maxBatch` texts or its first request has waited `maxWaitMs`; while the model works, new
 * requests gather for the next batch. A request's texts are never split across calls.
 */
import type { ServedModel, ServedPrediction } from '../../../core/lab/serve-model';

interface Pending {
  texts: string[];
  resolve: (p: ServedPrediction) => void;
  reject: (e: unknown) => void;
}

export interface BatcherOptions {
  maxBatch: number;
  maxWaitMs: number;
  onBatch?: (texts: number, requests: number) => void;
}

export class MicroBatcher {
  private queue: Pending[] = [];
  private queuedTexts = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private busy = false;

  constructor(
    private readonly model: Pick<ServedModel, 'predict'>,
    private readonly opts: BatcherOptions,
  ) {}

  predict(texts: string[]): Promise<ServedPrediction> {
    return new Promise((resolve, reject) => {
      this.queue.push({ texts, resolve, reject });
      this.queuedTexts += texts.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy || this.queue.length === 0) return;
    if (this.queuedTexts >= this.opts.maxBatch || this.opts.maxWaitMs <= 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.run();
    } else this.timer ??= setTimeout(() => ((this.timer = undefined), void this.run()), this.opts.maxWaitMs);
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let n = 0;
    while (this.queue.length && (batch.length === 0 || n + this.queue[0].texts.length <= this.opts.maxBatch)) {
      const p = this.queue.shift()!;
      n += p.texts.length;
      batch.push(p);
    }
    this.queuedTexts -= n;
    return batch;
  }

  private async run(): Promise<void> {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.take();
    const texts = batch.flatMap((p) => p.texts);
    this.opts.onBatch?.(texts.length, batch.length);
    try {
      const out = await this.model.predict(texts);
      let at = 0;
      for (const p of batch) {
        const n = p.texts.length;
        p.resolve({ probs: out.probs.slice(at, at + n), stage: out.stage?.slice(at, at + n) });
        at += n;
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.busy = false;
      // Requests that arrived meanwhile have already waited: send them at once.
      if (this.queue.length) void this.run();
    }
  }
}
