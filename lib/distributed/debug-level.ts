// torch.distributed's debug level (TORCH_DISTRIBUTED_DEBUG = OFF, INFO or DETAIL): c10d's
// process-wide setting, which c10d's C++ side (DDP's Reducer, logging) reads. Python's DETAIL also
// wraps new gloo groups in ProcessGroupWrapper; the groups made here are not wrapped yet.
import { PyTypeError } from '../errors';
import { c10d, isAvailable } from './native-c10d';

/** torch.distributed.DebugLevel (c10d's enum: OFF, INFO, DETAIL). */
export class DebugLevel {
  private constructor(readonly name: string, readonly value: number) {}
  static readonly OFF = new DebugLevel('OFF', 0);
  static readonly INFO = new DebugLevel('INFO', 1);
  static readonly DETAIL = new DebugLevel('DETAIL', 2);
  static readonly __members__ = { OFF: DebugLevel.OFF, INFO: DebugLevel.INFO, DETAIL: DebugLevel.DETAIL };
  toString(): string {
    return `DebugLevel.${this.name}`;
  }
  /** Python's repr. */
  repr(): string {
    return `<DebugLevel.${this.name}: ${this.value}>`;
  }
}
const LEVELS = [DebugLevel.OFF, DebugLevel.INFO, DebugLevel.DETAIL];

/** torch.distributed.get_debug_level() */
export function getDebugLevel(): DebugLevel {
  return LEVELS[c10d().distributedDebugLevel()];
}

/** torch.distributed.set_debug_level(level) */
export function setDebugLevel(level: DebugLevel): void {
  if (!(level instanceof DebugLevel)) {
    throw new PyTypeError(
      'set_debug_level(): incompatible function arguments. The following argument types are supported:\n' +
        '    1. (arg0: torch._C._distributed_c10d.DebugLevel) -> None',
    );
  }
  c10d().setDistributedDebugLevel(level.value);
}

/** torch.distributed.set_debug_level_from_env(): the level TORCH_DISTRIBUTED_DEBUG names (OFF when unset). */
export function setDebugLevelFromEnv(): void {
  c10d().setDistributedDebugLevelFromEnv();
}

// As importing torch.distributed does in Python (a bad value fails there the same way).
if (isAvailable()) setDebugLevelFromEnv();
