export * from './checkpoint';
export * from './run-folder';
