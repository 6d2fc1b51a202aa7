/** `agnews guard status --data DIR`: the test-set guard's hashes, budget and access log, from the lab. */
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { printRecord } from './util';

export async function guardStatusCommand(opts: { data: string; json?: boolean }): Promise<void> {
  const lab = createNodeLab();
  // Importing seals a dataset seen for the first time; a known one keeps its budget and log.
  const meta = await lab.importDataset(requestFor(opts.data));
  const s = await lab.guardStatus(meta.id);
  if (opts.json) return printRecord(s, true);
  const lines = [
    `dataset     ${s.datasetId} (${meta.name}, ${meta.sizes.test} test examples)`,
    `ids hash    ${s.idsHash}`,
    `content     ${s.contentHash}`,
    `verified    ${s.verified.ok ? 'yes' : `NO: ${s.verified.problem}`}`,
    `budget      ${s.used} of ${s.budget} test evaluations used, ${s.left} left`,
    ...s.log.map((e) => `  ${e.at}  ${e.outcome.padEnd(8)} ${e.caller}${e.runId ? ` (${e.runId})` : ''}: ${e.purpose ?? ''}${e.reason ? ` [${e.reason}]` : ''}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
