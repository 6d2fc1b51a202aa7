/**
 * Overfitting prevention: the test-set guard (budgeted, phase-aware, hash-verified access),
 * the leakage detector, pre-training config checks, live monitors, and the risk report.
 */
export { PHASES, ACCESS_POLICY, currentPhase, activePhases, assertTestAllowed, testAllowed, withPhase, resetPhases } from './phase';
export type { Phase, AccessPolicy } from './phase';
export { idsHash, contentHash, sealOf, verifySeal } from './test-seal';
export type { TestSeal, SealCheck, SealVerdict } from './test-seal';
export { guardPaths, GUARD_FORMAT } from './guard-record';
export type { GuardRecord, GuardLogEntry, ResultSummary } from './guard-record';
export { registerTestSplit, evaluateTest, guardStatus, setBudget, DEFAULT_TEST_BUDGET } from './test-guard';
export type { GuardAccess, GuardStatus, ScoreResult, GuardClock } from './test-guard';
export { detectLeakage, formatLeakage, leakageWarnings, LEAKAGE_DEFAULTS } from './leakage';
export type { LeakageOptions, LeakageReport, LeakExample, LeakSplit, LeakText, PairCounts, SplitPair } from './leakage';
export { shingleSets, signatures, jaccard, lshPairs } from './minhash';
export type { ShingleSets, LshOptions } from './minhash';
export { estimateParameters, UNKNOWN_MODEL_PARAMETERS, UNBOUNDED_VOCAB_FEATURES } from './param-estimate';
export type { ParameterEstimate, CapacityKind } from './param-estimate';
export * as thresholds from './thresholds';
export { validateConfig, assertConfigSafe } from './validate-config';
export type { Finding, Severity, DataSizes, ConfigSafetyRecord } from './validate-config';
export { monitorConfigSchema, parseMonitorConfig, DEFAULT_MONITOR_CONFIG, alertActions } from './monitor-config';
export type { MonitorConfig, MonitorConfigInput, AlertAction } from './monitor-config';
export { OverfitMonitor } from './monitor';
export type { Alert, AlertRule, EpochRow } from './monitor';
export { riskReport, riskReportJson, RISK_LEVELS } from './risk';
export type { RiskReport, RiskComponent, RiskInput } from './risk';
export { riskReportHtml, escapeHtml } from './risk-html';
