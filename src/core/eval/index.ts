/** Evaluation: metrics, calibration, statistics, efficiency and error analysis (cross-run tables are in experiment/). */
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
