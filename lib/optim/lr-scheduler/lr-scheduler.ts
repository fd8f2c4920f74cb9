// Base of the epoch-based LR schedulers (PyTorch 1.13's _LRScheduler): base_lrs from the groups'
// initial_lr, step() sets every group's lr, getLastLr(), and a state dict holding the scheduler's
// fields under Python's names (base_lrs, last_epoch, _step_count, ...), so it round-trips with Python.
// It also warns as Python does: a scheduler stepped before its optimizer, and the deprecated step(epoch).
import { TorchError, warn } from '../../errors';
import { Optimizer } from '../optimizer';
import { toCamel, toSnake } from '../keys';
import { withFloatKeys } from '../../serialization/py-types';

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
  /**
   * Python names that Python's state_dict lists after the others, in this order: what its base
   * class sets after a subclass's own fields, or what it appends (nested schedulers).
   */
  protected trailingKeys(): readonly string[] {
    return ['_schedulers'];
  }

  /** Python names of fields that hold Python floats, so a whole number is saved as 1.0 (JS has one number type). */
  protected floatKeys(): readonly string[] {
    return [];
  }

  /** Python's state_dict(): the fields, under Python's names and in Python's order; nested schedulers as their state dicts. */
  stateDict(): Record<string, unknown> {
    const fields = new Map<string, unknown>();
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || v === undefined || typeof v === 'function') continue;
      fields.set(pyName(k), copyOut(v));
    }
    const trailing = this.trailingKeys();
    const order = [...[...fields.keys()].filter((k) => !trailing.includes(k)), ...trailing.filter((k) => fields.has(k))];
    const out = Object.fromEntries(order.map((k) => [k, fields.get(k)]));
    return withFloatKeys(out, this.floatKeys().filter((k) => typeof out[k] === 'number'));
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

/** What Python's _LRScheduler.__init__ sets, after the subclass has set its own fields. */
const BASE_KEYS = ['base_lrs', 'last_epoch', 'verbose', '_step_count', '_get_lr_called_within_step', '_last_lr'];

export const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. ' +
  'Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, ' +
  'the closed form is used instead of the new chainable form, where available. Please open an issue if you are ' +
  'unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.';

/** optimizer.step() calls since its scheduler's first step (Python's optimizer._step_count). */
const optimizerStepCounts = new WeakMap<Optimizer, number>();
const COUNTED = Symbol('countedStep');

/**
 * Replaces optimizer.step with one that counts its calls (once per optimizer), as Python's scheduler
 * does, so that a scheduler stepped before its optimizer can say so.
 */
function countSteps(optimizer: Optimizer): void {
  const step = optimizer.step as Optimizer['step'] & { [COUNTED]?: true };
  if (step[COUNTED]) return;
  const counted = Object.assign(
    (...args: Parameters<Optimizer['step']>) => {
      optimizerStepCounts.set(optimizer, (optimizerStepCounts.get(optimizer) ?? 0) + 1);
      return step.apply(optimizer, args);
    },
    { [COUNTED]: true as const },
  );
  Object.defineProperty(optimizer, 'step', { value: counted, writable: true, configurable: true, enumerable: false });
}

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
    countSteps(optimizer);
    this.verbose = verbose;
  }

  protected trailingKeys(): readonly string[] {
    return BASE_KEYS;
  }

  /** Subclass constructors call this last, once their own fields are set (Python's _initial_step). */
  protected start(): void {
    this.initialStep();
  }

  /** @internal */
  initialStep(): void {
    optimizerStepCounts.set(this.optimizer, 0);
    this._stepCount = 0;
    this.step();
  }

  /** Python's warnings for a schedule that would skip its first value. */
  private checkStepOrder(): void {
    if ((this.optimizer.step as { [COUNTED]?: true })[COUNTED] !== true) {
      warn(
        'Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make sure to call ' +
          '`optimizer.step()` before `lr_scheduler.step()`. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate',
      );
    } else if ((optimizerStepCounts.get(this.optimizer) ?? 0) < 1) {
      warn(
        'Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: ' +
          '`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate ' +
          'schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate',
      );
    }
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
    if (this._stepCount === 1) this.checkStepOrder();
    this._stepCount += 1;
    this._getLrCalledWithinStep = true;
    let values: number[];
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        warn(EPOCH_DEPRECATION_WARNING);
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
