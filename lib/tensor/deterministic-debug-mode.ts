// torch.set_deterministic_debug_mode / get_deterministic_debug_mode: use_deterministic_algorithms as
// one level, 0 'default' (off), 1 'warn' (warn only), 2 'error'.
import { PyTypeError, TorchError } from '../errors';
import { areDeterministicAlgorithmsEnabled, isDeterministicAlgorithmsWarnOnlyEnabled, useDeterministicAlgorithms } from '../backends';

const LEVELS: Record<string, number> = { default: 0, warn: 1, error: 2 };

export function setDeterministicDebugMode(debugMode: number | string): void {
  let level: number;
  if (typeof debugMode === 'string') {
    if (!(debugMode in LEVELS)) throw new TorchError(`invalid value of debug_mode, expected one of \`default\`, \`warn\`, \`error\`, but got ${debugMode}`);
    level = LEVELS[debugMode];
  } else if (typeof debugMode === 'number' && Number.isInteger(debugMode)) level = debugMode;
  else throw new PyTypeError(`debug_mode must be str or int, but got <class '${typeof debugMode === 'number' ? 'float' : typeof debugMode}'>`);
  if (level === 0) useDeterministicAlgorithms(false);
  else if (level === 1) useDeterministicAlgorithms(true, { warnOnly: true });
  else if (level === 2) useDeterministicAlgorithms(true);
  else throw new TorchError(`invalid value of debug_mode, expected 0, 1, or 2, but got ${level}`);
}

export function getDeterministicDebugMode(): number {
  if (!areDeterministicAlgorithmsEnabled()) return 0;
  return isDeterministicAlgorithmsWarnOnlyEnabled() ? 1 : 2;
}
