export { ClassicalEstimator } from './classical-estimator';
export type { Member } from './classical-estimator';
export {
  createClassical,
  parseClassicalConfig,
  classicalModelSchema,
  nbSchema,
  logregSchema,
  svmSchema,
  sgdSchema,
  CLASSICAL_KINDS,
} from './registry';
export type { ClassicalConfig, ClassicalKind, NbConfig, LogregConfig, SvmConfig, SgdConfig } from './registry';
export { loadClassical } from './load';
export { encodeClassical, decodeClassical, CLASSICAL_FORMAT } from './artifact';
export type { ClassicalParts } from './artifact';
export { fitCalibrator, calibrateRow } from './calibration';
export type { Calibrator, CalibrationMethod } from './calibration';
export { fitSigmoid, applySigmoid } from './platt';
export type { Sigmoid } from './platt';
export { fitIsotonic, applyIsotonic } from './isotonic';
export type { IsotonicFit } from './isotonic';
export { fitTemperature, temperatureNll } from './temperature';
export { classWeights, sampleWeights } from './class-weights';
export type { ClassWeightOption } from './class-weights';
export { stratifiedFolds, splitFold } from './folds';
export { fitNaiveBayes, nbFeatureScore } from './nb';
export { fitLogReg } from './logreg';
export { fitLinearSvm } from './svm';
export { fitSgd } from './sgd';
export { lbfgs } from './lbfgs';
export { scoreRow, scoreMatrix, countNonZero, topByScore, softmaxRows, fromClassMajor, emptyLinear } from './linear';
export type { LinearModel, TopFeature } from './linear';
export type { Head, HeadFit } from './heads';
export { gridSearch, expandGrid, scorePredictions } from './grid-search';
export type { Grid, GridPointResult, GridSearchResult, GridSearchContext } from './grid-search';
