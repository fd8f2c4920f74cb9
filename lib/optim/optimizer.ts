// The Optimizer base class: param groups with defaults, per-parameter state, zeroGrad, and
// PyTorch's state_dict layout (state keyed by parameter index, param_groups with `params` index
// lists, snake_case keys) so that a Python optimizer state_dict loads here and vice versa.
import { TorchError, ValueError, warn } from '../errors';
import { pyNumber } from '../py-format';
import { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { float32 } from '../tensor/dtype';
import { noGrad, enableGrad } from '../autograd/grad-mode';
import { tidy } from '../memory/scope';
import { asTuple, withFloatKeys } from '../serialization/py-types';
import { toCamel, toSnake } from './keys';
import { Rest, parse } from '../keywords';

/** Marks an option without a default (SGD's lr): every param group must give it. */
export const required: unique symbol = Symbol('required');

/** One param group: its tensors and its options (camelCase; lr is mutable, schedulers change it). */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  [option: string]: any;
}

/** What the constructor and addParamGroup take: a group's tensors plus options overriding defaults. */
export interface ParamGroupSpec {
  params: Tensor | Iterable<Tensor>;
  [option: string]: unknown;
}

export type Params = Iterable<Tensor> | Iterable<ParamGroupSpec>;

/** One parameter's state: Python's key names ('step', 'exp_avg', 'momentum_buffer', ...). */
export type ParamState = Record<string, any>;

/** PyTorch's optimizer state_dict: { state: {index: {...}}, param_groups: [{..., params: [indices]}] } */
export interface OptimizerStateDict {
  state: Map<number, ParamState> | Record<string, ParamState>;
  param_groups: Record<string, unknown>[];
}

/** What step() may be given: re-evaluates the loss (a tensor or a number) and returns it. */
export type Closure<T extends Tensor | number = Tensor | number> = () => T;

export interface ZeroGradOptions {
  setToNone?: boolean;
}

export abstract class Optimizer {
  readonly defaults: Record<string, unknown>;
  /** Per-parameter state, keyed by the parameter tensor as in Python. */
  state = new Map<Tensor, ParamState>();
  paramGroups: ParamGroup[] = [];
  /** State keys that Python keeps as float32 0-dim tensors (kept as numbers here, for speed). */
  protected scalarTensorKeys: readonly string[] = [];
  /**
   * Options whose Python default is an integral float (Adadelta's lr=1.0): repr prints that value
   * as Python does, '1.0' (JS has no 1.0; other integral values print as ints, as Python's lr=2).
   */
  protected floatDefaults: Readonly<Record<string, number>> = {};

  constructor(params: Params, defaults: Record<string, unknown>) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TorchError('params argument given to the optimizer should be an iterable of Tensors or dicts, but got a Tensor');
    }
    const groups = [...(params as Iterable<Tensor | ParamGroupSpec>)];
    if (groups.length === 0) throw new TorchError('optimizer got an empty parameter list');
    const specs = groups[0] instanceof Tensor ? [{ params: groups as Tensor[] }] : (groups as ParamGroupSpec[]);
    for (const g of specs) this.addParamGroup(g);
  }

  /** Adds a group (e.g. layers unfrozen while fine-tuning); missing options take the defaults. */
  addParamGroup(spec: ParamGroupSpec): void {
    if (spec === null || typeof spec !== 'object' || spec instanceof Tensor || !('params' in spec)) {
      throw new TorchError('param group must be a dict with params');
    }
    if (spec.params instanceof Set) {
      throw new TorchError('optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.');
    }
    const params = spec.params instanceof Tensor ? [spec.params] : [...spec.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TorchError(`optimizer can only optimize Tensors, but one of the params is ${typeof p}`);
      if (!p.isLeaf) throw new TorchError("can't optimize a non-leaf Tensor");
    }
    const group: ParamGroup = { ...spec, params } as ParamGroup;
    // a group written as Python's dict ({ params, weight_decay: 0 }, as torchvision's
    // set_weight_decay builds it) names an option by its Python name: the same option here
    for (const key of Object.keys(spec)) {
      const camel = toCamel(key);
      if (camel === key || !(camel in this.defaults)) continue;
      if (spec[camel] !== undefined) throw new TorchError(`param group gives both ${key} and ${camel}`);
      group[camel] = group[key];
      delete group[key];
    }
    for (const [name, value] of Object.entries(this.defaults)) {
      if (group[name] !== undefined) continue;
      if (value === required) {
        throw new ValueError(`parameter group didn't specify a value of required optimization parameter ${name}`);
      }
      group[name] = Array.isArray(value) ? [...value] : value;
    }
    if (new Set(params).size !== params.length) {
      warn('optimizer contains a parameter group with duplicate parameters; in future, this will cause an error');
    }
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => taken.has(p))) throw new TorchError('some parameters appear in more than one parameter group');
    this.paramGroups.push(group);
  }

  /** Clears the gradients; setToNone (default true, as PyTorch 2) drops them instead of zeroing. */
  zeroGrad(...args: Rest<ZeroGradOptions, ['setToNone']>): void {
    const setToNone = parse<ZeroGradOptions>('zeroGrad', args, ['setToNone']).setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) {
          p.grad = null;
          continue;
        }
        const g = p.grad;
        if (g === null) continue;
        if (g.gradFn !== null) g.detach_();
        else g.requiresGrad_(false);
        g.zero_();
      }
    }
  }

  /** One optimization step; closure (re-evaluating the loss) is run with gradients enabled, and what it returns is returned. */
  step(): undefined;
  step<T extends Tensor | number>(closure: Closure<T>): T;
  step<T extends Tensor | number>(closure?: Closure<T>): T | undefined;
  step<T extends Tensor | number>(closure?: Closure<T>): T | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    // tidy: gradient handles and temporaries are released now, not at the next GC, so the
    // allocator hands the same (cache-hot) memory to the next step; new state is kept.
    noGrad(() =>
      tidy(() => {
        for (const group of this.paramGroups) this.updateGroup(group);
      }),
    );
    return loss;
  }

  /** Applies this optimizer's update to the parameters of one group that have gradients. */
  protected abstract updateGroup(group: ParamGroup): void;

  /** @internal The state of p, created empty on first use (Python's defaultdict). */
  stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = {}));
    return s;
  }

  stateDict(): { state: Map<number, ParamState>; param_groups: Record<string, unknown>[] } {
    const index = new Map<Tensor, number>();
    let start = 0;
    const paramGroups = this.paramGroups.map((group) => {
      // Python keeps betas/etas/step_sizes as tuples and a float default such as lr=1.0 as a
      // float: saved so, Python's repr of the loaded dict reads as its own.
      const packed: Record<string, unknown> = {};
      const floats: string[] = [];
      for (const [k, v] of Object.entries(group)) {
        if (k === 'params') continue;
        packed[toSnake(k)] = Array.isArray(v) ? asTuple([...v]) : v;
        if (v === this.floatDefaults[k]) floats.push(toSnake(k));
      }
      withFloatKeys(packed, floats);
      group.params.forEach((p, i) => {
        if (!index.has(p)) index.set(p, start + i);
      });
      packed.params = group.params.map((p) => index.get(p)!);
      start += group.params.length;
      return packed;
    });
    const state = new Map<number, ParamState>();
    for (const [p, s] of this.state) {
      const packed: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        packed[k] = this.scalarTensorKeys.includes(k) && typeof v === 'number' ? tensor(v, { dtype: float32 }) : v;
      }
      state.set(index.get(p)!, packed);
    }
    return { state, param_groups: paramGroups };
  }

  /** Loads a state dict (from stateDict() here or Python's); tensors are copied onto each parameter's dtype and device. */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const saved = stateDict.param_groups;
    if (!Array.isArray(saved) || saved.length !== this.paramGroups.length) {
      throw new TorchError('loaded state dict has a different number of parameter groups');
    }
    const ids: number[] = [];
    saved.forEach((g, i) => {
      const savedParams = g.params as number[];
      if (!Array.isArray(savedParams) || savedParams.length !== this.paramGroups[i].params.length) {
        throw new TorchError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
      ids.push(...savedParams);
    });
    const current = this.paramGroups.flatMap((g) => g.params);
    const byId = new Map<number, Tensor>();
    ids.forEach((id, i) => byId.set(Number(id), current[i]));

    const entries: [number, ParamState][] =
      stateDict.state instanceof Map
        ? [...stateDict.state].map(([k, v]) => [Number(k), v])
        : Object.entries(stateDict.state ?? {}).map(([k, v]) => [Number(k), v]);
    const state = new Map<Tensor, ParamState>();
    for (const [id, values] of entries) {
      const param = byId.get(id);
      if (!param) continue; // state of no parameter here: nothing can use it
      const entry: ParamState = {};
      for (const [k, v] of Object.entries(values)) entry[k] = this.importValue(param, k, v);
      state.set(param, entry);
    }
    this.state = state;
    this.paramGroups = saved.map((g, i) => {
      const group: ParamGroup = { params: this.paramGroups[i].params } as ParamGroup;
      for (const [k, v] of Object.entries(g)) if (k !== 'params') group[toCamel(k)] = Array.isArray(v) ? [...v] : v;
      for (const [k, v] of Object.entries(this.defaults)) if (group[k] === undefined && v !== required) group[k] = v;
      return group;
    });
  }

  /** A copy of one saved state value: tensors cast to the parameter's dtype (floating) and device, except 'step'. */
  protected importValue(param: Tensor, key: string, value: unknown): unknown {
    if (value instanceof Tensor) {
      if (this.scalarTensorKeys.includes(key) && value.numel() === 1) return value.item() as number;
      let v = value;
      if (key !== 'step' && param.isFloatingPoint()) v = v.to(param.dtype);
      v = v.to(param.device);
      return v === value ? value.clone() : v;
    }
    if (Array.isArray(value)) return value.map((e) => this.importValue(param, '', e));
    return value;
  }

  /** Python's repr: the class name and each group's options, sorted. */
  toString(): string {
    let s = `${this.constructor.name} (`;
    this.paramGroups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      const keys = Object.keys(g).filter((k) => k !== 'params');
      for (const [snake, k] of keys.map((k) => [toSnake(k), k]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        s += `    ${snake}: ${formatOption(g[k], g[k] === this.floatDefaults[k])}\n`;
      }
    });
    return s + ')';
  }
}

function formatOption(v: unknown, asFloat = false): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `(${v.map((e) => formatOption(e)).join(', ')})`;
  if (typeof v === 'number') return pyNumber(v, asFloat);
  return String(v);
}

/** The parameters of a group that have gradients, with those gradients. */
export function withGrads(group: ParamGroup): { params: Tensor[]; grads: Tensor[] } {
  const params: Tensor[] = [];
  const grads: Tensor[] = [];
  for (const p of group.params) {
    const g = p.grad;
    if (g !== null) {
      params.push(p);
      grads.push(g);
    }
  }
  return { params, grads };
}

/** Python's range checks of hyper-parameters, with its messages (ValueErrors, as Python's). */
export function check(ok: boolean, message: string): void {
  if (!ok) throw new ValueError(message);
}
