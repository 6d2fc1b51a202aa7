export * from './api';
export * from './lab';
