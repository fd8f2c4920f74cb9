// torch.autograd.detect_anomaly / set_detect_anomaly and torch.is_anomaly_enabled & co.
// While on, libtorch's engine checks every backward output for NaN ("Function 'MulBackward0'
// returned nan values in its 0th output.") and, when a node's backward fails, a warning names the
// node and shows the JS stack of the forward call that made it (native/anomaly_mode.cc records it).
// The mode is process-wide in libtorch (not per thread or per async scope), as in Python.
import * as path from 'path';
import { native } from '../native';
import { TorchError, warn } from '../errors';
import { thenCleanUp } from '../settle';

// Frames of torch-node itself are left out of the recorded stacks: the user's call is what helps.
const LIB_DIR = path.dirname(__dirname) + path.sep;

function userStack(): string {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !line.includes(LIB_DIR) && !line.includes('node:internal'))
    .join('\n');
}
native.setAnomalyStackFunction(userStack);

/** torch.is_anomaly_enabled() */
export function isAnomalyEnabled(): boolean {
  return native.anomalyMode()[0];
}

/** torch.is_anomaly_check_nan_enabled() */
export function isAnomalyCheckNanEnabled(): boolean {
  return native.anomalyMode()[1];
}

/** torch.set_anomaly_enabled(enabled, check_nan=True) */
export function setAnomalyEnabled(enabled: boolean, checkNan = true): void {
  if (typeof enabled !== 'boolean') throw new TorchError(`set_anomaly_enabled(): argument 'enabled' must be bool, not ${typeof enabled}`);
  native.anomalyMode(enabled, checkNan);
}

/** Runs fn (sync or async) with anomaly mode set, then puts the previous mode back. */
function withAnomalyMode<T>(enabled: boolean, checkNan: boolean, fn: () => T): T {
  const [prevEnabled, prevCheckNan] = native.anomalyMode();
  native.anomalyMode(enabled, checkNan);
  return thenCleanUp(fn, () => void native.anomalyMode(prevEnabled, prevCheckNan));
}

export interface DetectAnomalyOptions {
  /** raise when a backward computation produces NaN (default true) */
  checkNan?: boolean;
}

/**
 * Python's `with torch.autograd.detect_anomaly():` runs fn (sync or async) with anomaly detection
 * on: a failing backward names the forward call that made the failing node, and (checkNan) a NaN
 * in any backward output raises.
 */
export function detectAnomaly<T>(fn: () => T, options: DetectAnomalyOptions = {}): T {
  warn('Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.');
  return withAnomalyMode(true, options.checkNan ?? true, fn);
}

/**
 * torch.autograd.set_detect_anomaly(mode, check_nan=True): with fn, runs it (sync or async) in that
 * mode and restores the previous one, as Python's `with`; without, sets the mode from now on, as
 * calling it in Python does.
 */
export function setDetectAnomaly(mode: boolean, options?: DetectAnomalyOptions): void;
export function setDetectAnomaly<T>(mode: boolean, fn: () => T, options?: DetectAnomalyOptions): T;
export function setDetectAnomaly<T>(mode: boolean, fnOrOptions?: (() => T) | DetectAnomalyOptions, maybeOptions?: DetectAnomalyOptions): T | void {
  if (typeof mode !== 'boolean') throw new TorchError(`set_detect_anomaly(): argument 'mode' must be bool, not ${typeof mode}`);
  if (typeof fnOrOptions === 'function') return withAnomalyMode(mode, maybeOptions?.checkNan ?? true, fnOrOptions);
  native.anomalyMode(mode, fnOrOptions?.checkNan ?? true);
}
