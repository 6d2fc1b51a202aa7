/** `agnews queue status`: job counts by state, the jobs, and the workers connected to the queue. */
import { queueStatus } from '../platform/node/queue/status';
import { printRecord } from './util';

export async function queueStatusCommand(opts: { queue: string; json?: boolean }): Promise<void> {
  const s = await queueStatus(opts.queue);
  if (opts.json) return printRecord(s, true);
  const progress = (p: unknown) => (p && typeof p === 'object' && 'step' in p ? ` step ${(p as { step: number }).step}` : '');
  const lines = [
    `jobs     ${Object.entries(s.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    ...s.jobs.map((j) => `  ${j.state.padEnd(16)} ${j.kind.padEnd(7)} ${j.id}  ${j.run ?? ''}${progress(j.progress)}${j.failedReason ? `  (${j.failedReason})` : ''}`),
    `workers  ${s.workers.length}`,
    ...s.workers.map((w) => `  ${w.name || '(unnamed)'}${w.addr ? ` from ${w.addr}` : ''}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
