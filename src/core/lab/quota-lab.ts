/**
 * The lab's budget and storage calls (issue 15): compute budgets and their use, the check a run
 * passes before it starts (refused when nothing is left, warned when its estimate exceeds what
 * is left) and the watch that stops it with a checkpoint when time runs out; storage by kind and
 * item from the store's contents, deletion and eviction, and the persistence request.
 */
import { readBudgets, writeBudgets } from '../budget/budgets';
import { budgetLeft, budgetStatus, describeBinding, exhaustedBeforeStart } from '../budget/check';
import { formatSeconds } from '../budget/duration';
import { readLedger, usageAt } from '../budget/ledger';
import { runWatch, type RunBudget } from '../budget/run-watch';
import type { RunHome } from '../runs/run-home';
import { countStorage, removeCounted, type AccountingOptions } from '../storage/accounting';
import { readJson, type BlobStore } from '../storage/port';
import { LabError, NotFoundError } from '../util/errors';
import type { LabEvent } from './api';
import type { Budgets, BudgetStatus, StorageKind, StorageReport } from './quota-api';

export interface QuotaLabDeps {
  store: BlobStore;
  runs: RunHome;
  /** Milliseconds since the epoch (tests pass their own clock). */
  now: () => number;
  /** The run a job is writing now, if any. */
  activeRunId: () => string | undefined;
  removeRun: (runId: string) => Promise<void>;
  removeDataset: (id: string) => Promise<void>;
}

/** What `storageReport` may add: the terminal's run folders, which the runner's store does not hold. */
export interface StorageReportOptions {
  runs?: string[];
}

export interface QuotaLab {
  budgets(): Promise<BudgetStatus>;
  setBudgets(b: Budgets): Promise<BudgetStatus>;
  storageReport(opts?: StorageReportOptions): Promise<StorageReport>;
  deleteStorageItem(kind: StorageKind, id: string, opts?: StorageReportOptions): Promise<StorageReport>;
  requestPersist(): Promise<boolean | undefined>;
  /**
   * Before a run starts or resumes: refused when its budgets have nothing left (nothing is
   * written), warned about when its estimate exceeds what is left; the watch for the pipeline.
   */
  runBudget(runId: string, onEvent: (e: LabEvent) => void, opts?: { resuming?: boolean; estimateSeconds?: () => Promise<number | undefined> }): Promise<RunBudget>;
}

export function quotaLab(deps: QuotaLabDeps): QuotaLab {
  const { store, runs, now } = deps;
  // The budgets a running watch reads at each step: setBudgets replaces them at once.
  let current: Budgets = {};

  const accounting = async (opts?: StorageReportOptions): Promise<AccountingOptions> => {
    const activeRunId = deps.activeRunId();
    const config = activeRunId
      ? await runs
          .folder(activeRunId)
          .config<{ model?: { base?: unknown } }>()
          .catch(() => undefined)
      : undefined;
    const base = config?.model?.base;
    return {
      activeRunId,
      basesInUse: typeof base === 'string' ? [base] : [],
      // Runs kept in the lab's own store are counted from it already.
      runFolders: (opts?.runs ?? [])
        .map((runId) => ({ runId, folder: runs.folder(runId) }))
        .filter(({ folder }) => folder.store !== store)
        .map(({ runId, folder }) => ({ runId, store: folder.store, prefix: folder.prefix })),
    };
  };

  const lab: QuotaLab = {
    async budgets() {
      current = await readBudgets(store);
      return budgetStatus(current, await readLedger(store), now());
    },
    async setBudgets(b) {
      current = await writeBudgets(store, b);
      return budgetStatus(current, await readLedger(store), now());
    },
    storageReport: async (opts) => (await countStorage(store, await accounting(opts))).report,
    async deleteStorageItem(kind, id, opts) {
      const active = deps.activeRunId();
      if (kind === 'run') {
        if (id === active) throw new LabError(`Run ${id} is training now: cancel it before deleting it.`);
        if (!(await runs.folder(id).meta())) throw new NotFoundError(`No run ${id} to delete`);
        await deps.removeRun(id);
      } else if (kind === 'dataset' && !id.startsWith('hf:')) {
        await deps.removeDataset(id);
      } else {
        const { items } = await countStorage(store, await accounting(opts));
        const item = items.find((i) => i.kind === kind && i.id === id);
        if (!item) throw new NotFoundError(`No ${kind} "${id}" in storage (see storageReport for what is there)`);
        if (!item.deletable)
          throw new LabError(
            kind === 'base-model'
              ? `${id} is the base of the run training now: it can be evicted once the run ends.`
              : kind === 'checkpoint'
                ? `${item.label} ${id.endsWith('#model') ? "is the run's finished model: delete the run to free it" : 'belongs to the run training now'}.`
                : `${item.label} is not offered for deletion.`,
          );
        // An evicted base is downloaded again (and checked against its sha256) when a run needs it.
        await removeCounted(item);
      }
      return lab.storageReport(opts);
    },
    requestPersist: async () => (store.persist ? store.persist() : undefined),

    async runBudget(runId, onEvent, opts = {}) {
      current = await readBudgets(store);
      const ledger = await readLedger(store);
      const run = runs.folder(runId);
      // The ledger knows a run by the id and time it was created with, so the terminal's folder
      // typed another way (`./r1`, an absolute path) on resume is the same run, and a new run in
      // a reused folder starts afresh.
      const keyOf = (m?: { runId: string; createdAt: string }) => (m ? `${m.runId}@${m.createdAt}` : runId);
      const prior = opts.resuming ? await run.meta() : undefined;
      const priorRunSeconds = prior ? usageAt(ledger, now(), keyOf(prior)).runSeconds : 0;
      const t = now();
      const left = budgetLeft(current, ledger, t, undefined, { today: 0, week: 0, run: priorRunSeconds });
      if (left.seconds !== undefined && left.seconds <= 0) throw exhaustedBeforeStart(left, t, runId, !!opts.resuming);
      if (left.seconds !== undefined) {
        const estimate = await opts.estimateSeconds?.().catch(() => undefined);
        const b = describeBinding(left.binding!);
        onEvent(
          estimate !== undefined && estimate > left.seconds
            ? {
                type: 'log',
                level: 'warn',
                message: `This run is estimated at ${formatSeconds(estimate)}, more than the ${formatSeconds(left.seconds)} left under ${b.what}: it will stop with a checkpoint when the budget runs out, and resume later (or raise it first: \`${b.raise}\`).`,
              }
            : {
                type: 'log',
                level: 'info',
                message: `Compute budget: ${formatSeconds(left.seconds)} left for this run under ${b.what}${estimate !== undefined ? `; estimated ${formatSeconds(estimate)}` : ''}.`,
              },
        );
      }
      const resumedFrom = opts.resuming ? await readJson<{ step: number; epoch: number }>(run.store, `${run.prefix}checkpoints/latest.json`) : undefined;
      let key: string | undefined;
      return runWatch({
        store,
        runId,
        ledgerKey: async () => (key ??= keyOf(prior ?? (await run.meta()))),
        priorRunSeconds,
        budgets: () => current,
        ledger,
        now,
        resumedFrom: resumedFrom && { step: resumedFrom.step, epoch: resumedFrom.epoch },
      });
    },
  };
  return lab;
}
