/**
 * Validation: the rules that decide whether an import may be stored, and the report that tells
 * the user what was found. Errors fail the import (nothing is stored); warnings are kept.
 *
 * Duplicates and train/test overlap compare a normalised text (lowercase, no punctuation,
 * collapsed whitespace) because near-identical copies that differ only in case or a trailing
 * period leak test information just as well as exact copies.
 */
import { normaliseText } from './normalise';
import type { Issue, ValidationReport } from './types';

/** A parsed, label-resolved row, before ids and splits are assigned. */
export interface Candidate {
  /** 1-based source line (CSV/TSV/JSONL) or row (Parquet). */
  line: number;
  text: string;
  label: number;
}

export const MAX_LISTED_ERRORS = 100;
export const MAX_OVERLAP_EXAMPLES = 10;
/** Largest/smallest train class ratio from which imbalance is reported. */
export const IMBALANCE_RATIO = 10;

/** Collects issues and counters while files are read; becomes the `ValidationReport`. */
export class IssueLog {
  readonly errors: Issue[] = [];
  errorCount = 0;
  readonly warnings: Issue[] = [];
  emptyTexts = 0;
  unknownLabels = 0;
  duplicateRows = 0;
  conflictingDuplicates = 0;
  trainTestOverlap = 0;
  readonly overlapExamples: ValidationReport['overlapExamples'] = [];
  readonly files: ValidationReport['files'] = [];

  error(issue: Issue): void {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(issue);
  }

  warn(issue: Issue): void {
    this.warnings.push(issue);
  }

  file(name: string, rows: number, bytes: number): void {
    this.files.push({ name, rows, bytes });
  }

  report(classCounts: ValidationReport['classCounts']): ValidationReport {
    return {
      files: this.files.map((f) => ({ ...f })),
      // File order is kept (the order they were read); within a file, errors read top to bottom.
      errors: [...this.errors].sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : 0)),
      errorCount: this.errorCount,
      warnings: [...this.warnings],
      emptyTexts: this.emptyTexts,
      unknownLabels: this.unknownLabels,
      duplicateRows: this.duplicateRows,
      conflictingDuplicates: this.conflictingDuplicates,
      trainTestOverlap: this.trainTestOverlap,
      overlapExamples: this.overlapExamples.map((o) => ({ ...o })),
      classCounts: { train: [...classCounts.train], validation: [...classCounts.validation], test: [...classCounts.test] },
    };
  }
}

export function countByClass(rows: { label: number }[], classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const r of rows) counts[r.label]++;
  return counts;
}

const preview = (text: string): string => (text.length > 100 ? `${text.slice(0, 97)}...` : text);

/**
 * Applies the warning rules, in this order: exact duplicates inside train (later copies
 * dropped), conflicting labels for one text inside train (kept, counted), train rows whose text
 * is also in test (dropped from train so test scores stay honest).
 */
export function cleanSplits(train: Candidate[], test: Candidate[], log: IssueLog, files: { train: string; test?: string }): { train: Candidate[]; test: Candidate[] } {
  // One map from normalised text to its first row. Exact copies always share a normalised
  // text, so exact "label NUL text" keys are only built inside such groups (rare), and each
  // row's text is hashed once, not twice.
  const firstByKey = new Map<string, Candidate>();
  const exact = new Set<string>();
  const conflicted = new Set<string>();
  let firstDuplicate: Candidate | undefined;
  let firstConflict: Candidate | undefined;
  const unique: Candidate[] = [];
  const keys: string[] = [];

  for (const row of train) {
    const key = normaliseText(row.text);
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, row);
    } else {
      exact.add(`${first.label}\u0000${first.text}`);
      const own = `${row.label}\u0000${row.text}`;
      if (exact.has(own)) {
        log.duplicateRows++;
        firstDuplicate ??= row;
        continue;
      }
      exact.add(own);
      if (first.label !== row.label) {
        log.conflictingDuplicates++;
        conflicted.add(key);
        firstConflict ??= row;
      }
    }
    unique.push(row);
    keys.push(key);
  }
  if (log.duplicateRows > 0) {
    log.warn({
      file: files.train,
      line: firstDuplicate?.line,
      message: `${log.duplicateRows} exact duplicate row(s) (same text and label) in train; the later copies were dropped`,
    });
  }
  if (log.conflictingDuplicates > 0) {
    log.warn({
      file: files.train,
      line: firstConflict?.line,
      message: `${log.conflictingDuplicates} row(s) repeat an earlier text with a different label (${conflicted.size} distinct text(s)); they were kept`,
    });
  }

  if (test.length === 0) return { train: unique, test };
  const testLines = new Map<string, number>();
  for (const row of test) {
    const key = normaliseText(row.text);
    if (!testLines.has(key)) testLines.set(key, row.line);
  }
  const kept: Candidate[] = [];
  for (let k = 0; k < unique.length; k++) {
    const testLine = testLines.get(keys[k]);
    if (testLine === undefined) {
      kept.push(unique[k]);
      continue;
    }
    log.trainTestOverlap++;
    if (log.overlapExamples.length < MAX_OVERLAP_EXAMPLES) {
      log.overlapExamples.push({ trainLine: unique[k].line, testLine, text: preview(unique[k].text) });
    }
  }
  if (log.trainTestOverlap > 0) {
    const first = log.overlapExamples[0];
    log.warn({
      file: files.train,
      line: first?.trainLine,
      message: `${log.trainTestOverlap} train row(s) also appear in ${files.test ?? 'test'} (after normalising case, spaces and punctuation); they were dropped from train`,
    });
  }
  return { train: kept, test };
}

/** Warns when the largest train class is at least IMBALANCE_RATIO times the smallest, or a class is empty. */
export function checkBalance(counts: number[], classes: string[], log: IssueLog): void {
  const empty = classes.filter((_, k) => counts[k] === 0);
  if (empty.length > 0) {
    log.warn({ message: `class(es) with no training examples: ${empty.map((c) => `"${c}"`).join(', ')}` });
  }
  const present = counts.filter((c) => c > 0);
  if (present.length < 2) return;
  const max = Math.max(...present);
  const min = Math.min(...present);
  if (max >= IMBALANCE_RATIO * min) {
    const big = classes[counts.indexOf(max)];
    const small = classes[counts.indexOf(min)];
    log.warn({
      message: `strong class imbalance in train: "${big}" has ${max} examples, "${small}" only ${min} (ratio ${(max / min).toFixed(1)})`,
    });
  }
}
