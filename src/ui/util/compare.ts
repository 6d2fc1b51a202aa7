/**
 * Pure helpers for the Compare page: naming runs, picking the best value of a column, and
 * writing intervals, p-values and costs the same way everywhere on the page.
 */
import type { CompareEntry } from '../../core/experiment/compare';
import type { Interval } from '../../core/eval/bootstrap';
import { formatBytes, int, seconds } from './format';

/** A, B, …, Z, then R27, R28: short names that fit in chart legends and pair labels. */
export function runLetter(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `R${i + 1}`;
}

/**
 * Indices holding the best finite value (ties all win). Nothing is "best" with fewer than two
 * values to compare, or when all are equal: highlighting then would say nothing.
 */
export function bestIndices(values: readonly (number | undefined)[], higher: boolean): Set<number> {
  const finite = values.map((v, i) => ({ v, i })).filter((x): x is { v: number; i: number } => typeof x.v === 'number' && Number.isFinite(x.v));
  if (finite.length < 2) return new Set();
  const best = finite.reduce((b, x) => (higher ? Math.max(b, x.v) : Math.min(b, x.v)), finite[0].v);
  if (finite.every((x) => x.v === best)) return new Set();
  return new Set(finite.filter((x) => x.v === best).map((x) => x.i));
}

/** "[89.1, 93.0]" in percent, or "[0.021, 0.048]" for plain numbers; '' when there is no interval. */
export function ciText(ci: Interval | undefined, percent: boolean, digits = percent ? 1 : 3): string {
  if (!ci || !ci.every((x) => Number.isFinite(x))) return '';
  const f = (x: number) => (percent ? (x * 100).toFixed(digits) : x.toFixed(digits));
  return `[${f(ci[0])}, ${f(ci[1])}]`;
}

/** p-values below 0.001 carry no extra meaning at these sample sizes, so they are not spelled out. */
export function pValueText(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '–';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** A difference of proportions in percentage points, signed: "+2.4 pp". */
export function ppText(delta: number | undefined, digits = 1): string {
  if (delta === undefined || !Number.isFinite(delta)) return '–';
  const v = delta * 100;
  const s = v.toFixed(digits);
  return `${v > 0 && Number(s) !== 0 ? '+' : ''}${s} pp`;
}

/** The interval of a difference in percentage points: "[+0.5, +4.1] pp". */
export function ppCiText(ci: Interval | undefined, digits = 1): string {
  if (!ci || !ci.every((x) => Number.isFinite(x))) return '';
  const f = (x: number) => {
    const s = (x * 100).toFixed(digits);
    return x > 0 && Number(s) !== 0 ? `+${s}` : s;
  };
  return `[${f(ci[0])}, ${f(ci[1])}] pp`;
}

export const SIGNIFICANT = '★ significant';
export const NOT_SIGNIFICANT = 'n.s.';

/** Which run a significant pair favours, from the sign of the accuracy difference A − B. */
export function favoured(delta: number, a: string, b: string): string | undefined {
  return delta > 0 ? a : delta < 0 ? b : undefined;
}

export type CostKey = 'trainSeconds' | 'latencyP50Ms' | 'parameters' | 'modelBytes';

export interface Cost {
  key: CostKey;
  label: string;
  of: (e: CompareEntry) => number | undefined;
  format: (x: number | undefined) => string;
}

export const COSTS: Cost[] = [
  { key: 'trainSeconds', label: 'Train time', of: (e) => e.result.timings?.trainSeconds, format: seconds },
  { key: 'latencyP50Ms', label: 'Latency p50', of: (e) => e.result.efficiency?.latencyP50Ms, format: msText },
  { key: 'parameters', label: 'Parameters', of: (e) => e.result.parameters, format: int },
  { key: 'modelBytes', label: 'Model size', of: (e) => e.result.modelBytes, format: formatBytes },
];

export function msText(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  // Classical models answer in microseconds: "0.00 ms" would hide the difference.
  if (x < 0.001) return '< 1 µs';
  if (x < 1) return `${Math.round(x * 1000)} µs`;
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
}

/** Validation accuracy: the full report's when there is one, else the result record's. */
export const valAccuracy = (e: CompareEntry): number | undefined => e.validation?.accuracy ?? e.result.validation?.accuracy;
export const valMacroF1 = (e: CompareEntry): number | undefined => e.validation?.macroF1 ?? e.result.validation?.macroF1;

/**
 * Background of a confusion cell: shade by the share of its true class, so classes of
 * different sizes read alike. Diagonal cells are blue (right), the rest red (errors).
 */
export function heatColor(count: number, rowTotal: number, diagonal: boolean): string {
  const share = rowTotal > 0 ? count / rowTotal : 0;
  const alpha = Math.round(Math.min(1, share) * 0.85 * 100) / 100;
  return diagonal ? `rgba(37, 99, 235, ${alpha})` : `rgba(220, 38, 38, ${alpha})`;
}

/** Dark cells need light text to stay readable. */
export const heatTextDark = (count: number, rowTotal: number): boolean => rowTotal > 0 && count / rowTotal > 0.55;

/** Union of class names in first-seen order (runs on one dataset share them; others still show). */
export function classUnion(entries: readonly CompareEntry[]): string[] {
  const seen = new Set<string>();
  for (const e of entries) for (const c of e.classes) seen.add(c);
  return [...seen];
}

/** How a run is shown across the page: one letter, one colour, the same everywhere. */
export interface RunLabel {
  runId: string;
  letter: string;
  /** "A · quickstart-nb" */
  name: string;
  color: string;
}

export function runLabels(entries: readonly Pick<CompareEntry, 'runId' | 'configName'>[], palette: readonly string[]): Map<string, RunLabel> {
  return new Map(
    entries.map((e, i) => {
      const letter = runLetter(i);
      return [e.runId, { runId: e.runId, letter, name: `${letter} · ${e.configName}`, color: palette[i % palette.length] }];
    }),
  );
}
