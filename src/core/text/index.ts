export { normalizeText, tokenize, normalizeAndTokenize, isWordChar } from './normalize';
export type { NormalizeOptions } from './normalize';
export { parseCsv, parseAgNewsCsv } from './agnews-csv';
export type { AgNewsRow } from './agnews-csv';
