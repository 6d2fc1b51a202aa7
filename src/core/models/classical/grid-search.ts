/**
 * Grid search moved to models/selection (it works on any estimator). This re-export keeps
 * src/core/lab/insights.ts compiling until its import points at '../models/selection/grid-search'.
 */
export * from '../selection/grid-search';
