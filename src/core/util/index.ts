export * from './brand';
export * from './errors';
export * from './random';
export * from './hash';
