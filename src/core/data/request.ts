/**
 * What an import is asked to read: the files (or Hub id) and how their columns map to text and
 * label. These belong to the data layer that reads them; the lab API re-exports them for the page.
 */

export interface SourceFile {
  name: string;
  bytes: Uint8Array;
}

export interface ColumnMapping {
  /** Columns joined with a space to make the text (names, or 0-based indices for header-less files). */
  text: (string | number)[];
  label: string | number;
  /** Whether the first row of a CSV/TSV is a header. Default: detected. */
  header?: boolean;
}

export type ImportRequest =
  /** AG News layout: train.csv, test.csv, classes.txt (header-less `label,title,description`). */
  | { kind: 'agnews'; name?: string; files: SourceFile[]; validationFraction?: number; seed?: number; maxTrain?: number }
  /** Any CSV/TSV/JSONL/Parquet with a column mapping; labels are names or 0/1-based indices. */
  | {
      kind: 'table';
      name: string;
      train: SourceFile;
      test?: SourceFile;
      mapping: ColumnMapping;
      classes?: string[];
      validationFraction?: number;
      seed?: number;
      maxTrain?: number;
    }
  /** A Hugging Face Hub dataset in Parquet (default `fancyzhx/ag_news`). */
  | { kind: 'hub'; dataset: string; validationFraction?: number; seed?: number; maxTrain?: number };
