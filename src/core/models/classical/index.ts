export { ClassicalEstimator } from './classical-estimator';
export type { Member } from './classical-estimator';
export { classicalModelSchema, parseClassicalConfig, nbSchema, logregSchema, svmSchema, sgdSchema, CLASSICAL_KINDS } from './config';
export type { ClassicalConfig, ClassicalKind, NbConfig, LogregConfig, SvmConfig, SgdConfig } from './config';
export { classicalSpec, createClassical, loadClassical } from './spec';
export { encodeClassical, decodeClassical, CLASSICAL_FORMAT } from './artifact';
export type { ClassicalParts } from './artifact';
export { classWeights, sampleWeights } from './class-weights';
export type { ClassWeightOption } from './class-weights';
export { fitNaiveBayes, nbFeatureScore } from './nb';
export { fitLogReg } from './logreg';
export { fitLinearSvm } from './svm';
export { fitSgd } from './sgd';
export { lbfgs } from './lbfgs';
export { scoreRow, scoreMatrix, countNonZero, topByScore, softmaxRows, fromClassMajor, emptyLinear } from './linear';
export type { LinearModel, TopFeature, HeadFit, BlockFit } from './linear';
export type { Head } from './heads';
// Generic tools that used to live here (bench/classical.ts still imports scorePredictions from this index).
export { scorePredictions } from '../selection/grid-search';
