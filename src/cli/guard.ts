/** `agnews guard status --data DIR`: the test-set guard's hashes, budget and access log. */
import { guardStatus } from '../core/guard';
import { loadData } from '../platform/node/data-source';
import { ensureGuarded, labStore } from '../platform/node/lab-store';
import { printRecord } from './util';

export async function guardStatusCommand(opts: { data: string; json?: boolean }): Promise<void> {
  const data = await loadData(opts.data);
  const store = labStore();
  await ensureGuarded(store, data);
  const s = await guardStatus(store, data.meta.id);
  if (opts.json) return printRecord(s, true);
  const lines = [
    `dataset     ${s.datasetId} (${data.meta.name}, ${data.test.length} test examples)`,
    `ids hash    ${s.idsHash}`,
    `content     ${s.contentHash}`,
    `verified    ${s.verified.ok ? 'yes' : `NO: ${s.verified.problem}`}`,
    `budget      ${s.used} of ${s.budget} test evaluations used, ${s.left} left`,
    ...s.log.map((e) => `  ${e.at}  ${e.outcome.padEnd(8)} ${e.caller}${e.runId ? ` (${e.runId})` : ''}: ${e.purpose ?? ''}${e.reason ? ` [${e.reason}]` : ''}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
