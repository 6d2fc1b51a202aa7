/** Progress of a long import step; the worker forwards it as an `import-progress` LabEvent. */
export interface ImportProgress {
  message: string;
  done: number;
  total: number;
}

export type ProgressFn = (p: ImportProgress) => void;
