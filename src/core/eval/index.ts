/** Evaluation: metrics, calibration, statistics, efficiency, error analysis and result tables. */
export * from './metrics';
export * from './calibration';
export * from './custom-score';
export * from './bootstrap';
export * from './special';
export * from './significance';
export * from './efficiency';
export * from './error-analysis';
export * from './robustness';
export * from './report';
export * from './serialize';
export * from './results-table';
export * from './seed-study';
