/**
 * The cross-run results table moved to experiment/results-table.ts (it reads experiment result
 * records, and eval sits below experiment). This re-export keeps src/cli/report.ts and src/core/lab/api.ts
 * compiling until their imports point at experiment/results-table.
 */
export { evalFileSchema, resultsCsv, resultsJson, resultsTable } from '../experiment/results-table';
export type { ResultsRow, RunInput } from '../experiment/results-table';
