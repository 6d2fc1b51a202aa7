/**
 * The compute budgets a user sets (minutes per run, per UTC day, per week), kept in the lab's
 * store (IndexedDB in the page, the runner's store under the cache folder) so that they hold
 * across page loads and runner calls.
 */
import type { Budgets } from '../lab/quota-api';
import { jsonFile, readJson, type BlobStore } from '../storage/port';
import { InputError } from '../util/errors';

export const BUDGETS_PATH = 'budget/budgets.json';

const KEYS = ['perRunMinutes', 'perDayMinutes', 'perWeekMinutes'] as const;

/** The budgets in `value`, or an error naming the bad field; absent or null fields mean no limit. */
export function checkBudgets(value: unknown): Budgets {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError('Budgets must be an object such as { "perDayMinutes": 120 }', { field: 'budgets' });
  const v = value as Record<string, unknown>;
  const unknown = Object.keys(v).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new InputError(`Unknown budget ${unknown.map((k) => `"${k}"`).join(', ')}: the budgets are ${KEYS.join(', ')}`, { field: unknown[0] });
  const out: Budgets = {};
  for (const k of KEYS) {
    const x = v[k];
    if (x === undefined || x === null) continue;
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0)
      throw new InputError(`${k} must be a positive number of minutes (leave it out for no limit), got ${JSON.stringify(x)}`, { field: k });
    out[k] = x;
  }
  return out;
}

export async function readBudgets(store: BlobStore): Promise<Budgets> {
  const stored = await readJson<unknown>(store, BUDGETS_PATH);
  // A hand-edited file that no longer parses is not silently taken as "no limits".
  return stored === undefined ? {} : checkBudgets(stored);
}

/** Checks first, then replaces the stored budgets as a whole: bad input changes nothing. */
export async function writeBudgets(store: BlobStore, value: unknown): Promise<Budgets> {
  const budgets = checkBudgets(value);
  await store.commit([jsonFile(BUDGETS_PATH, budgets)]);
  return budgets;
}
