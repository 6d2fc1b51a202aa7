export * from './config';
export * from './pipeline';
export * from './result';
