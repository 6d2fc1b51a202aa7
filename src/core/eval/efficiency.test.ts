import { describe, expect, it } from 'vitest';
import { measureLatency, measureThroughput, percentile, sizeFromResult, type Predictor } from './efficiency';

/** Records the batch sizes it is called with; busy-waits `ms` per call so timings are non-zero. */
function fake(ms = 0.2): Predictor & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    async predictProba(texts: string[]) {
      calls.push(texts.length);
      const end = performance.now() + ms;
      while (performance.now() < end) {
        /* spin */
      }
      return texts.map(() => Float32Array.of(0.5, 0.5));
    },
  };
}

describe('efficiency', () => {
  it('percentile interpolates linearly between order statistics (numpy default)', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });
  it('throughput batches the texts after one untimed warm-up batch', async () => {
    const m = fake();
    const texts = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const tps = await measureThroughput(m, texts, { batchSize: 4 });
    expect(m.calls).toEqual([4, 4, 4, 2]);
    expect(tps).toBeGreaterThan(0);
    // 3 timed calls of at least 0.2 ms each: at most 10 texts / 0.6 ms.
    expect(tps).toBeLessThan(10 / 0.0006);
    expect(await measureThroughput(m, [])).toBe(0);
  });
  it('latency calls the model one text at a time and reports p50 <= p95 in ms', async () => {
    const m = fake(0.3);
    const r = await measureLatency(m, ['a', 'b', 'c'], { n: 8 });
    expect(m.calls).toEqual(new Array(9).fill(1));
    expect(r.n).toBe(8);
    expect(r.p50).toBeGreaterThanOrEqual(0.3);
    expect(r.p95).toBeGreaterThanOrEqual(r.p50);
    await expect(measureLatency(m, [])).rejects.toThrow(RangeError);
  });
  it('size figures come from the result record', () => {
    expect(sizeFromResult({ parameters: 10, modelBytes: 40, timings: { trainSeconds: 1.5, totalSeconds: 2 } })).toEqual({
      parameters: 10,
      modelBytes: 40,
      trainSeconds: 1.5,
      totalSeconds: 2,
    });
  });
});
