export * from './checkpoint';
export * from './finished-run';
export * from './run-folder';
export * from './run-home';
export * from './run-id';
