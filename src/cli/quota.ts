/**
 * `agnews quota [--runs DIR...] [--json]`: the runner's store (datasets, their Hub downloads,
 * cached base models) and the run folders named, by kind and by item, with the disk's room and
 * the compute budgets with their use. With --json the last line is `{ store, storage, budgets }`.
 */
import { formatBytes } from '../core/storage/accounting';
import type { StorageReport } from '../core/lab/quota-api';
import { labStore, createNodeLab } from '../platform/node/node-lab';
import { expandRunDirs } from '../platform/node/run-dirs';
import { budgetLines } from './budget';
import { printRecord } from './util';

export async function quotaCommand(opts: { runs?: string[]; json?: boolean }): Promise<void> {
  const lab = createNodeLab();
  const runs = opts.runs ? expandRunDirs('--runs', opts.runs) : [];
  const storage = await lab.storageReport({ runs });
  const budgets = await lab.budgets();
  const store = labStore().root;
  if (opts.json) return printRecord({ store, storage, budgets }, true);
  process.stdout.write([...storageLines(store, storage, runs.length), '', ...budgetLines(budgets)].join('\n') + '\n');
}

export function storageLines(store: string, r: StorageReport, runFolders: number): string[] {
  const kinds = Object.entries(r.byKind).filter(([, b]) => b > 0);
  return [
    `store       ${store}${runFolders ? ` and ${runFolders} run folder${runFolders > 1 ? 's' : ''}` : ' (name run folders with --runs DIR... to count them too)'}`,
    ...(r.usage !== undefined && r.quota !== undefined ? [`disk        ${formatBytes(r.usage)} in the store, ${formatBytes(r.quota - r.usage)} free`] : []),
    `by kind     ${kinds.length ? kinds.map(([k, b]) => `${k} ${formatBytes(b)}`).join(', ') : 'nothing stored'}`,
    ...r.items.map(
      (i) => `  ${i.kind.padEnd(11)} ${formatBytes(i.bytes).padStart(9)}  ${i.label}${i.deletable ? '' : ' (kept)'}${i.lastUsed ? `  ${i.lastUsed.slice(0, 10)}` : ''}`,
    ),
  ];
}
