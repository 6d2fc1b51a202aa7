/** Nominal typing for ids that are plain strings at run time. */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type DatasetId = Brand<string, 'DatasetId'>;
export type RunId = Brand<string, 'RunId'>;

export const asDatasetId = (s: string): DatasetId => s as DatasetId;
export const asRunId = (s: string): RunId => s as RunId;
