/** Moved to src/core/eval/calibration.ts (evaluation owns calibration metrics); re-exported so existing imports keep working. */
export { calibrationReport, expectedCalibrationError } from '../../eval/calibration';
export type { CalibrationReport } from '../../eval/calibration';
