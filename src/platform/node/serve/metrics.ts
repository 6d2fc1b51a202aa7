/**
 * The server's counters in Prometheus' text exposition format (version 0.0.4): requests by path
 * and status, request latency and texts per model call. Kept by hand: three series do not need a
 * client library, and the format is a stable contract that scrapers read.
 */

/** Cumulative-bucket histogram: `le` upper bounds, counts per bucket, sum and count. */
class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly bounds: number[]) {
    this.counts = bounds.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]) this.counts[i]++;
  }
  lines(name: string): string[] {
    return [
      ...this.bounds.map((b, i) => `${name}_bucket{le="${b}"} ${this.counts[i]}`),
      `${name}_bucket{le="+Inf"} ${this.count}`,
      `${name}_sum ${this.sum}`,
      `${name}_count ${this.count}`,
    ];
  }
}

/** Paths the server answers; anything else is counted as "other" so that scanners cannot grow the series without bound. */
const KNOWN_PATHS = new Set(['/v1/classify', '/healthz', '/metrics']);

export class ServeMetrics {
  private requests = new Map<string, number>();
  readonly latency = new Histogram([0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  readonly batchTexts = new Histogram([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
  /** Requests whose texts went into each model call (how many requests shared a batch). */
  readonly batchRequests = new Histogram([1, 2, 4, 8, 16, 32, 64]);

  request(path: string, status: number, seconds: number): void {
    const key = `path="${KNOWN_PATHS.has(path) ? path : 'other'}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.latency.observe(seconds);
  }

  batch(texts: number, requests: number): void {
    this.batchTexts.observe(texts);
    this.batchRequests.observe(requests);
  }

  text(): string {
    return [
      '# HELP agnews_requests_total HTTP requests answered, by path and status.',
      '# TYPE agnews_requests_total counter',
      ...[...this.requests].sort().map(([k, v]) => `agnews_requests_total{${k}} ${v}`),
      '# HELP agnews_request_duration_seconds Time from a request arriving to its answer being sent.',
      '# TYPE agnews_request_duration_seconds histogram',
      ...this.latency.lines('agnews_request_duration_seconds'),
      '# HELP agnews_batch_texts Texts per model call (micro-batches of concurrent requests).',
      '# TYPE agnews_batch_texts histogram',
      ...this.batchTexts.lines('agnews_batch_texts'),
      '# HELP agnews_batch_requests Requests per model call.',
      '# TYPE agnews_batch_requests histogram',
      ...this.batchRequests.lines('agnews_batch_requests'),
      '',
    ].join('\n');
  }
}
