// Base of the epoch-based LR schedulers (PyTorch 1.13's _LRScheduler): base_lrs from the groups'
// initial_lr, step() sets every group's lr, getLastLr(), and a state dict holding the scheduler's
// fields under Python's names (base_lrs, last_epoch, _step_count, ...), so it round-trips with Python.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { toCamel, toSnake } from '../keys';

/** Fields whose Python names do not follow the camelCase rule. */
const PY_NAMES: Record<string, string> = { TMax: 'T_max', T0: 'T_0', Ti: 'T_i', TMult: 'T_mult', TCur: 'T_cur' };
const JS_NAMES: Record<string, string> = Object.fromEntries(Object.entries(PY_NAMES).map(([js, py]) => [py, js]));

export function pyName(js: string): string {
  if (PY_NAMES[js]) return PY_NAMES[js];
  return js.startsWith('_') ? '_' + toSnake(js.slice(1)) : toSnake(js);
}

export function jsName(py: string): string {
  if (JS_NAMES[py]) return JS_NAMES[py];
  return py.startsWith('_') ? '_' + toCamel(py.slice(1)) : toCamel(py);
}

function copyOut(v: unknown): unknown {
  if (v instanceof StateDictSource) return v.stateDict();
  if (Array.isArray(v)) return v.map(copyOut);
  if (v instanceof Map) return new Map(v);
  if (v !== null && typeof v === 'object') return { ...v };
  return v;
}

/** Anything whose own enumerable fields (except `optimizer`) are its Python state. */
export abstract class StateDictSource {
  /** Python's state_dict(): the fields, under Python's names; nested schedulers as their state dicts. */
  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || v === undefined || typeof v === 'function') continue;
      out[pyName(k)] = copyOut(v);
    }
    return out;
  }

  /** Restores the fields from stateDict() here or Python's (keys it does not know are kept too, as Python does). */
  loadStateDict(stateDict: Record<string, unknown>): void {
    const self = this as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(stateDict)) {
      const name = jsName(k);
      const current = self[name];
      if (Array.isArray(current) && current[0] instanceof StateDictSource && Array.isArray(v)) {
        current.forEach((s: StateDictSource, i) => s.loadStateDict(v[i] as Record<string, unknown>));
      } else if (current instanceof Map && !(v instanceof Map) && v !== null && typeof v === 'object') {
        self[name] = new Map(Object.entries(v).map(([key, val]) => [Number(key), val]));
      } else if (typeof v !== 'function') {
        self[name] = Array.isArray(v) ? [...v] : v;
      }
    }
  }
}

/** The options every epoch-based scheduler takes. */
export interface LRSchedulerOptions {
  lastEpoch?: number;
  verbose?: boolean;
}

/** The parameters every epoch-based scheduler ends with, positionally or by name (last_epoch=-1, verbose=False). */
export const SCHEDULER_TAIL = ['lastEpoch', 'verbose'] as const satisfies readonly (keyof LRSchedulerOptions)[];

export abstract class LRScheduler extends StateDictSource {
  optimizer: Optimizer;
  baseLrs: number[];
  lastEpoch: number;
  verbose: boolean;
  _stepCount = 0;
  _getLrCalledWithinStep = false;
  _lastLr: number[] = [];

  constructor(optimizer: Optimizer, lastEpoch = -1, verbose = false) {
    super();
    if (!(optimizer instanceof Optimizer)) throw new TorchError(`${typeof optimizer} is not an Optimizer`);
    this.optimizer = optimizer;
    if (lastEpoch === -1) {
      for (const g of optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      optimizer.paramGroups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new TorchError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
        }
      });
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.verbose = verbose;
  }

  /** Subclass constructors call this last, once their own fields are set (Python's _initial_step). */
  protected start(): void {
    this.initialStep();
  }

  /** @internal */
  initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /** The lr of each group computed by the last step(). */
  getLastLr(): number[] {
    return this._lastLr;
  }

  /** The chainable form: the next lrs from the current ones. */
  abstract getLr(): number[];

  /** The closed form used when step(epoch) is given an epoch (deprecated in PyTorch). */
  protected closedFormLr?(): number[];

  step(epoch?: number): void {
    this._stepCount += 1;
    this._getLrCalledWithinStep = true;
    let values: number[];
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this.closedFormLr ? this.closedFormLr() : this.getLr();
      }
    } finally {
      this._getLrCalledWithinStep = false;
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i];
      this.printLr(i, values[i], epoch);
    });
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  protected printLr(group: number, lr: number, epoch?: number): void {
    if (!this.verbose) return;
    if (epoch === undefined) console.log(`Adjusting learning rate of group ${group} to ${formatE(lr)}.`);
    else console.log(`Epoch ${String(epoch).padStart(5, '0')}: adjusting learning rate of group ${group} to ${formatE(lr)}.`);
  }

  /** The current lr of every group (what most chainable forms start from). */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** Python's _format_param: one value per param group. */
export function perGroup<T>(name: string, optimizer: Optimizer, value: T | T[]): T[] {
  if (Array.isArray(value)) {
    if (value.length !== optimizer.paramGroups.length) {
      throw new TorchError(`expected ${optimizer.paramGroups.length} values for ${name}, got ${value.length}`);
    }
    return [...value];
  }
  return optimizer.paramGroups.map(() => value);
}

/** Python's '{:.4e}' (two-digit exponent). */
export function formatE(x: number): string {
  return x.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}
