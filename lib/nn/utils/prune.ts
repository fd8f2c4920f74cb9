// torch.nn.utils.prune, as PyTorch 1.13: pruning reparametrizes `module.<name>` as
// `<name>_orig` (the parameter, trained as before) times `<name>_mask` (a buffer), recomputed into
// the plain attribute `<name>` by a forward pre-hook, so the state_dict holds `<name>_orig` and
// `<name>_mask` under Python's keys. Pruning the same tensor again combines the methods in a
// PruningContainer, which prunes only what is still unpruned. The random methods draw from the
// global generator in PyTorch's order (rand_like over the tensor; rand over the channels), so with
// the same torch.manualSeed the masks equal Python's.
//
// `amount`: Python tells a count (int) from a fraction (float) by type; JavaScript has one number
// type. Here an integer (0, 3, 12) is a count of units to prune, any other number (0.3) a fraction
// of them, the way Python reads 3 and 0.3. The one value that reads differently is 1: Python's 1.0
// prunes everything, its 1 one unit; here 1 is a count, and prune.fraction(1) is Python's 1.0
// (prune.count(n) says a count explicitly).
import { Tensor, TorchError, onesLike, zerosLike, randLike, rand, topk, kthvalue } from '../functional/torch';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { parametersToVector } from './convert-parameters';
import { pyFloat, pySize } from '../../py-format';
import { bind, isOptions, signature } from '../../keywords';
import { delBuffer, delattr, delParameter, forwardPreHooks, getattr, hasattr, setPlain } from './members';

// ---- amount ---------------------------------------------------------------------------------

/** A pruning amount said explicitly: a count of units (Python's int) or a fraction (Python's float). */
export class Amount {
  private constructor(
    readonly value: number,
    readonly isCount: boolean,
  ) {}
  /** @internal */
  static _make(value: number, isCount: boolean): Amount {
    return new Amount(value, isCount);
  }
  /** Python's str(amount): 3, 0.3, 1.0 */
  toString(): string {
    return this.isCount ? String(this.value) : pyFloat(this.value);
  }
}

/** prune.fraction(1): a fraction of the units (Python's float amount; 1 is Python's 1.0, all of them). */
export function fraction(x: number): Amount {
  if (typeof x !== 'number') throw new TorchError(`fraction() expects a number, got ${typeof x}`);
  return Amount._make(x, false);
}

/** prune.count(3): a number of units (Python's int amount). */
export function count(n: number | bigint): Amount {
  if (typeof n === 'bigint') n = Number(n);
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TorchError(`count() expects an integer, got ${String(n)}`);
  return Amount._make(n, true);
}

/** What `amount` may be: a number (integer: a count; otherwise a fraction), or fraction(x) / count(n). */
export type AmountLike = number | Amount;

/** The amount as a count or fraction; Python's _validate_pruning_amount_init. */
function toAmount(amount: unknown): Amount {
  let a: Amount;
  if (amount instanceof Amount) a = amount;
  else if (typeof amount === 'bigint') a = Amount._make(Number(amount), true);
  else if (typeof amount === 'number') a = Amount._make(amount, Number.isInteger(amount));
  else throw new TorchError(`Invalid type for amount: ${String(amount)}. Must be int or float.`);
  if ((a.isCount && a.value < 0) || (!a.isCount && (a.value > 1.0 || a.value < 0.0))) {
    throw new TorchError(`amount=${a} should either be a float in the range [0, 1] or a non-negative integer`);
  }
  return a;
}

/** Python's round(): halves to even. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/** Python's _compute_nparams_toprune then _validate_pruning_amount. */
function nparamsToPrune(amount: AmountLike, tensorSize: number): number {
  const a = toAmount(amount);
  if (a.isCount) {
    if (a.value > tensorSize) throw new TorchError(`amount=${a.value} should be smaller than the number of parameters to prune=${tensorSize}`);
    return a.value;
  }
  if (Number.isNaN(a.value)) throw new TorchError('cannot convert float NaN to integer');
  return pyRound(a.value * tensorSize);
}

function validateStructuredPruning(t: Tensor): void {
  if (t.dim() <= 1) {
    throw new TorchError(`Structured pruning can only be applied to multidimensional tensors. Found tensor of shape ${pySize(t.shape)} with ${t.dim()} dims`);
  }
}

/** Python's _validate_pruning_dim, then the tuple index that t.shape[dim] would fail on. */
function validatePruningDim(t: Tensor, dim: number): number {
  if (dim >= t.dim()) throw new TorchError(`Invalid index ${dim} for tensor of size ${pySize(t.shape)}`);
  if (dim < -t.dim()) throw new TorchError('tuple index out of range');
  return dim < 0 ? dim + t.dim() : dim;
}

// ---- the pruning methods ----------------------------------------------------------------------

export type PruningType = 'unstructured' | 'structured' | 'global';

/** A method's PRUNING_TYPE: an instance's own, else its class's (static PRUNING_TYPE). */
function pruningTypeOf(method: BasePruningMethod): string | undefined {
  return (method as unknown as { PRUNING_TYPE?: string }).PRUNING_TYPE ?? (method.constructor as { PRUNING_TYPE?: string }).PRUNING_TYPE;
}

const METHOD = Symbol('torch-node pruning method');
type PruningHook = ((module: Module, inputs: unknown[]) => undefined) & { [METHOD]: BasePruningMethod };

/** The forward pre-hook that runs method(module, inputs), marked so that prune can find it again. */
function hookOf(method: BasePruningMethod): PruningHook {
  const hook = ((module: Module, inputs: unknown[]) => {
    method.call(module, inputs);
    return undefined;
  }) as PruningHook;
  hook[METHOD] = method;
  return hook;
}

/** [hook id, method] of the pruning hooks of a module, in order. */
function pruningHooks(module: Module): [number, BasePruningMethod][] {
  const out: [number, BasePruningMethod][] = [];
  for (const [k, hook] of forwardPreHooks(module)) {
    const m = (hook as Partial<PruningHook>)[METHOD];
    if (m !== undefined) out.push([k, m]);
  }
  return out;
}

interface PruneCallOptions {
  defaultMask?: Tensor | null;
  importanceScores?: Tensor | null;
}
const PRUNE_CALL = signature<PruneCallOptions>()([], ['defaultMask', 'importanceScores']);

/**
 * The base of the pruning methods (Python's abstract BasePruningMethod). A subclass implements
 * computeMask(t, defaultMask) and says its static PRUNING_TYPE ('unstructured', 'structured' with a
 * `dim` property, or 'global'); SubClass.apply(module, name, ...constructorArgs) prunes with it.
 */
export abstract class BasePruningMethod {
  /** 'unstructured', 'structured' or 'global': how PruningContainer slices for it. */
  static PRUNING_TYPE?: PruningType | string;
  /** The name of the tensor this method prunes (set by apply). */
  _tensorName!: string;

  constructor() {
    if (typeof (this as { computeMask?: unknown }).computeMask !== 'function') {
      throw new TorchError(`Can't instantiate abstract class ${new.target.name} with abstract method compute_mask`);
    }
  }

  /** The mask for `t`, applied on top of `defaultMask` (the mask from earlier pruning). */
  abstract computeMask(t: Tensor, defaultMask: Tensor): Tensor;

  /** Python's __call__(module, inputs), the forward pre-hook: module.<name> = the masked tensor. */
  call(module: Module, inputs?: unknown[]): void {
    setPlain(module, this._tensorName, this.applyMask(module));
  }

  /** <name>_mask (cast to <name>_orig's dtype) times <name>_orig */
  applyMask(module: Module): Tensor {
    if (this._tensorName === undefined || this._tensorName === null) throw new TorchError(`Module ${module} has to be pruned`);
    const mask = getattr(module, `${this._tensorName}_mask`) as Tensor;
    const orig = getattr(module, `${this._tensorName}_orig`) as Tensor;
    return mask.to({ dtype: orig.dtype }).mul(orig);
  }

  /**
   * Python's classmethod apply(module, name, *args, importance_scores=None, **kwargs): prunes
   * module.<name> with `new this(...args)`, a trailing options object giving `importanceScores` and
   * the constructor's keyword arguments; combined with earlier pruning of the same tensor.
   */
  static apply(module: Module, name: string, ...args: unknown[]): BasePruningMethod {
    let importanceScores: Tensor | null = null;
    const last = args.length ? args[args.length - 1] : undefined;
    if (isOptions(last)) {
      const { importanceScores: scores, ...kwargs } = last as { importanceScores?: Tensor | null } & Record<string, unknown>;
      importanceScores = scores ?? null;
      args = Object.keys(kwargs).length ? [...args.slice(0, -1), kwargs] : args.slice(0, -1);
    }
    return applyPruning(this as unknown as PruningMethodClass, module, name, args, importanceScores);
  }

  /**
   * prune(t, defaultMask = null, importanceScores = null): t times the mask computed from the
   * importance scores (t itself by default) on top of defaultMask (ones by default).
   */
  prune(t: Tensor, ...rest: [] | [defaultMask: Tensor | null, importanceScores?: Tensor | null] | [options: PruneCallOptions] | [Tensor | null, PruneCallOptions]): Tensor {
    const o = PRUNE_CALL.bind('prune', rest);
    let scores = o.importanceScores ?? null;
    if (scores !== null) {
      if (scores.shape.join() !== t.shape.join()) throw new TorchError('importance_scores should have the same shape as tensor t');
    } else {
      scores = t;
    }
    const defaultMask = o.defaultMask ?? onesLike(t);
    return t.mul(this.computeMask(scores, defaultMask));
  }

  /**
   * Makes the pruning permanent: module.<name> becomes a parameter again, holding the pruned values
   * (<name>_orig, with its data replaced, so an optimizer holding it keeps working); <name>_orig
   * and <name>_mask are gone. The hook itself is taken off by prune.remove.
   */
  remove(module: Module): void {
    if (this._tensorName === undefined || this._tensorName === null) {
      throw new TorchError(`Module ${module} has to be pruned before pruning can be removed`);
    }
    const name = this._tensorName;
    const weight = this.applyMask(module);
    if (hasattr(module, name)) delattr(module, name);
    const orig = module._ownParameters().find(([k]) => k === `${name}_orig`)?.[1];
    if (orig === undefined) throw new TorchError(`'${name}_orig'`);
    orig.setData(weight.detach());
    delParameter(module, `${name}_orig`);
    delBuffer(module, `${name}_mask`);
    module.registerParameter(name, orig);
  }
}

/** A pruning method's class: what apply and globalUnstructured construct. */
export type PruningMethodClass = (new (...args: any[]) => BasePruningMethod) & { PRUNING_TYPE?: PruningType | string };

/**
 * Python's BasePruningMethod.apply: combine with an earlier method on the same tensor (taking its
 * hook off), move the parameter to <name>_orig on first pruning, compute and register the mask,
 * set module.<name> and register the method's hook; on failure the first pruning is rolled back.
 */
function applyPruning(cls: PruningMethodClass, module: Module, name: string, args: unknown[], importanceScores: Tensor | null): BasePruningMethod {
  // _get_composite_method
  let oldMethod: BasePruningMethod | null = null;
  const found = pruningHooks(module).filter(([, m]) => m._tensorName === name);
  if (found.length > 1) {
    throw new TorchError(`Avoid adding multiple pruning hooks to the                same tensor ${name} of module ${module}. Use a PruningContainer.`);
  }
  const hooks = forwardPreHooks(module);
  for (const [k, m] of found) {
    oldMethod = m;
    hooks.delete(k);
  }
  let method: BasePruningMethod = new cls(...args);
  method._tensorName = name;
  if (oldMethod !== null) {
    if (oldMethod instanceof PruningContainer) {
      oldMethod.addPruningMethod(method);
      method = oldMethod;
    } else {
      const container = new PruningContainer(oldMethod);
      container.addPruningMethod(method);
      method = container;
    }
  }

  const orig = getattr(module, name) as Tensor;
  if (importanceScores !== null && importanceScores !== undefined) {
    if (!(importanceScores instanceof Tensor) || importanceScores.shape.join() !== orig.shape.join() || importanceScores.dim() !== orig.dim()) {
      throw new TorchError(`importance_scores should have the same shape as parameter                 ${name} of ${module}`);
    }
  } else {
    importanceScores = orig;
  }
  let defaultMask: Tensor;
  const first = !(method instanceof PruningContainer);
  if (first) {
    module.registerParameter(`${name}_orig`, orig as Parameter);
    delParameter(module, name);
    defaultMask = onesLike(orig);
  } else {
    defaultMask = (getattr(module, `${name}_mask`) as Tensor).detach().clone({ memoryFormat: 0 });
  }
  try {
    const mask = method.computeMask(importanceScores, defaultMask);
    module.registerBuffer(`${name}_mask`, mask);
    setPlain(module, name, method.applyMask(module));
    module.registerForwardPreHook(hookOf(method));
  } catch (e) {
    if (first) {
      const o = getattr(module, `${name}_orig`) as Parameter;
      if (hasattr(module, name)) delattr(module, name);
      module.registerParameter(name, o);
      delParameter(module, `${name}_orig`);
    }
    throw e;
  }
  return method;
}

/**
 * Several pruning methods applied in turn to one tensor (what iterative pruning builds): each new
 * one prunes only the units the earlier ones left, and the masks combine.
 */
export class PruningContainer extends BasePruningMethod {
  static PRUNING_TYPE?: PruningType | string = undefined;
  _pruningMethods: BasePruningMethod[] = [];

  /** PruningContainer(...methods): one method (the tensor name is its), or several / none. */
  constructor(...methods: BasePruningMethod[]) {
    super();
    if (methods.length === 1) {
      this._tensorName = methods[0]._tensorName;
      this.addPruningMethod(methods[0]);
    } else {
      if (methods.length > 0) this._tensorName = methods[0]._tensorName;
      for (const m of methods) this.addPruningMethod(m);
    }
  }

  /** Adds a method acting on the same tensor. */
  addPruningMethod(method: BasePruningMethod | null): void {
    if (method !== null && !(method instanceof BasePruningMethod)) {
      const type = method === undefined ? 'NoneType' : (method as object).constructor?.name ?? typeof method;
      throw new TorchError(`<class '${type}'> is not a BasePruningMethod subclass`);
    }
    if (method !== null && this._tensorName !== method._tensorName) {
      throw new TorchError(`Can only add pruning methods acting on the parameter named '${this._tensorName}' to PruningContainer ${this}. Found '${method._tensorName}'`);
    }
    this._pruningMethods = [...this._pruningMethods, method as BasePruningMethod];
  }

  get length(): number {
    return this._pruningMethods.length;
  }

  [Symbol.iterator](): Iterator<BasePruningMethod> {
    return this._pruningMethods[Symbol.iterator]();
  }

  /** Python's container[idx] (negative counts from the end). */
  at(idx: number): BasePruningMethod {
    const n = this._pruningMethods.length;
    const i = idx < 0 ? idx + n : idx;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new TorchError('tuple index out of range');
    return this._pruningMethods[i];
  }

  /**
   * The last method's mask, computed on the part of t that is still unpruned (unstructured: the
   * entries whose mask is 1; structured: the channels along its dim not yet all zero; global: all
   * of t) and written into a copy of defaultMask there.
   */
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const method = this._pruningMethods[this._pruningMethods.length - 1];
    const mask = defaultMask;
    const newMask = mask.to({ dtype: t.dtype });
    const type = pruningTypeOf(method);
    let slc: unknown[];
    if (type === 'unstructured') {
      slc = [mask.eq(1)];
    } else if (type === 'structured') {
      const dimOf = (method as unknown as { dim?: number }).dim;
      if (dimOf === undefined) {
        throw new TorchError('Pruning methods of PRUNING_TYPE "structured" need to have the attribute `dim` defined.');
      }
      const nDims = t.dim();
      let dim = dimOf;
      if (dim < 0) dim = nDims + dim;
      if (dim < 0) throw new TorchError(`Index is out of bounds for tensor with dimensions ${nDims}`);
      const others = Array.from({ length: nDims }, (_, d) => d).filter((d) => d !== dim);
      const keepChannel = mask.sum(others).ne(0);
      slc = Array.from({ length: nDims }, () => ':');
      slc[dim] = keepChannel;
    } else if (type === 'global') {
      slc = Array.from({ length: t.dim() }, () => ':');
    } else {
      throw new TorchError(`Unrecognized PRUNING_TYPE ${type === undefined ? 'None' : type}`);
    }
    const index = (x: Tensor) => (x.index as (...i: unknown[]) => Tensor)(...slc);
    const partial = method.computeMask(index(t), index(mask));
    (newMask.indexPut_ as (i: unknown[], v: Tensor) => Tensor)(slc, partial.to({ dtype: newMask.dtype }));
    return newMask;
  }
}

/** The pruning method that prunes nothing (its mask is the default mask). */
export class Identity extends BasePruningMethod {
  static PRUNING_TYPE = 'unstructured';

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    return defaultMask;
  }

  /** Identity.apply(module, name) */
  static apply(module: Module, name: string): BasePruningMethod {
    bind('apply', [module, name], ['module', 'name'], []);
    return applyPruning(this, module, name, [], null);
  }
}

interface AmountArgs {
  amount: AmountLike;
}
const AMOUNT = signature<AmountArgs>()(['amount'], []);

/**
 * What the unstructured methods share: `amount` units of the tensor, those ranked first by
 * `scores` (drawn only when there is something to prune, so that random draws stay in Python's order).
 */
abstract class UnstructuredMethod extends BasePruningMethod {
  static PRUNING_TYPE = 'unstructured';
  amount: AmountLike;

  constructor(args: [amount: AmountLike] | [options: AmountArgs]) {
    super();
    const { amount } = AMOUNT.bind(new.target.name, args);
    toAmount(amount);
    this.amount = amount;
  }

  /** The score of each unit (flattened), and whether the largest or the smallest are pruned. */
  protected abstract scores(t: Tensor): [scores: Tensor, largest: boolean];

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const n = nparamsToPrune(this.amount, t.nelement());
    const mask = defaultMask.clone({ memoryFormat: 0 });
    if (n !== 0) {
      const [scores, largest] = this.scores(t);
      const top = topk(scores.view(-1), n, { largest });
      mask.view(-1).indexPut_([top.indices], 0);
    }
    return mask;
  }
}

/** Prunes `amount` units chosen at random (torch.rand_like over the tensor, the largest draws). */
export class RandomUnstructured extends UnstructuredMethod {
  /** RandomUnstructured(amount) or RandomUnstructured({ amount }) */
  constructor(...args: [amount: AmountLike] | [options: AmountArgs]) {
    super(args);
  }

  protected scores(t: Tensor): [Tensor, boolean] {
    return [randLike(t), true];
  }

  /** RandomUnstructured.apply(module, name, amount) */
  static apply(module: Module, name: string, ...args: [amount: AmountLike] | [options: AmountArgs]): BasePruningMethod {
    const { amount } = AMOUNT.bind('apply', args);
    return applyPruning(this, module, name, [amount], null);
  }
}

interface ScoredAmountArgs {
  amount: AmountLike;
  importanceScores?: Tensor | null;
}
const SCORED_AMOUNT = signature<ScoredAmountArgs>()(['amount'], ['importanceScores']);

/** Prunes the `amount` units of smallest absolute value (of the importance scores, by default the tensor). */
export class L1Unstructured extends UnstructuredMethod {
  /** L1Unstructured(amount) or L1Unstructured({ amount }) */
  constructor(...args: [amount: AmountLike] | [options: AmountArgs]) {
    super(args);
  }

  protected scores(t: Tensor): [Tensor, boolean] {
    return [t.abs(), false];
  }

  /** L1Unstructured.apply(module, name, amount, importanceScores = null) */
  static apply(module: Module, name: string, ...args: [amount: AmountLike, importanceScores?: Tensor | null] | [options: ScoredAmountArgs] | [AmountLike, { importanceScores?: Tensor | null }]): BasePruningMethod {
    const { amount, importanceScores = null } = SCORED_AMOUNT.bind('apply', args);
    return applyPruning(this, module, name, [amount], importanceScores);
  }
}

interface StructuredArgs {
  amount: AmountLike;
  dim?: number;
}
const STRUCTURED = signature<StructuredArgs>()(['amount'], ['dim']);

/** Prunes `amount` channels along `dim` chosen at random (torch.rand over the channels). */
export class RandomStructured extends BasePruningMethod {
  static PRUNING_TYPE = 'structured';
  amount: AmountLike;
  dim: number;

  /** RandomStructured(amount, dim = -1), either by name */
  constructor(...args: [amount: AmountLike, dim?: number] | [options: StructuredArgs] | [AmountLike, { dim?: number }]) {
    super();
    const { amount, dim = -1 } = STRUCTURED.bind('RandomStructured', args);
    toAmount(amount);
    this.amount = amount;
    this.dim = dim;
  }

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    validateStructuredPruning(t);
    const dim = validatePruningDim(t, this.dim);
    const tensorSize = t.shape[dim];
    const n = nparamsToPrune(this.amount, tensorSize);
    if (n === 0) return defaultMask;
    const prob = rand(tensorSize);
    const threshold = kthvalue(prob, n).values;
    const channelMask = prob.gt(threshold);
    const mask = zerosLike(t);
    const slc: unknown[] = Array.from({ length: t.dim() }, () => ':');
    slc[dim] = channelMask;
    (mask.indexPut_ as (i: unknown[], v: number) => Tensor)(slc, 1);
    return mask.mul_(defaultMask.to({ dtype: mask.dtype }));
  }

  /** RandomStructured.apply(module, name, amount, dim = -1) */
  static apply(module: Module, name: string, ...args: [amount: AmountLike, dim?: number] | [options: StructuredArgs] | [AmountLike, { dim?: number }]): BasePruningMethod {
    const { amount, dim = -1 } = STRUCTURED.bind('apply', args);
    return applyPruning(this, module, name, [amount, dim], null);
  }
}

/** A norm order: a number (1, 2, Infinity, -Infinity, ...) or 'fro' / 'nuc', as torch.norm's p. */
export type NormOrder = number | 'fro' | 'nuc';

interface LnArgs {
  amount: AmountLike;
  n: NormOrder;
  dim?: number;
}
const LN = signature<LnArgs>()(['amount', 'n'], ['dim']);
interface LnApplyArgs {
  amount: AmountLike;
  n: NormOrder;
  dim: number;
  importanceScores?: Tensor | null;
}
const LN_APPLY = signature<LnApplyArgs>()(['amount', 'n', 'dim'], ['importanceScores']);

/** Prunes the `amount` channels along `dim` of smallest L`n` norm. */
export class LnStructured extends BasePruningMethod {
  static PRUNING_TYPE = 'structured';
  amount: AmountLike;
  n: NormOrder;
  dim: number;

  /** LnStructured(amount, n, dim = -1), any of them by name */
  constructor(...args: [amount: AmountLike, n: NormOrder, dim?: number] | [options: LnArgs] | [AmountLike, Omit<LnArgs, 'amount'>] | [AmountLike, NormOrder, { dim?: number }]) {
    super();
    const { amount, n, dim = -1 } = LN.bind('LnStructured', args);
    toAmount(amount);
    this.amount = amount;
    this.n = n;
    this.dim = dim;
  }

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    validateStructuredPruning(t);
    const dim = validatePruningDim(t, this.dim);
    const tensorSize = t.shape[dim];
    const toPrune = nparamsToPrune(this.amount, tensorSize);
    const toKeep = tensorSize - toPrune;
    const dims = Array.from({ length: t.dim() }, (_, d) => d).filter((d) => d !== dim);
    const channelNorms = t.norm(this.n, dims);
    const top = topk(channelNorms, toKeep, { largest: true });
    if (toPrune === 0) return defaultMask;
    const mask = zerosLike(t);
    const slc: unknown[] = Array.from({ length: t.dim() }, () => ':');
    slc[dim] = top.indices;
    (mask.indexPut_ as (i: unknown[], v: number) => Tensor)(slc, 1);
    return mask.mul_(defaultMask.to({ dtype: mask.dtype }));
  }

  /** LnStructured.apply(module, name, amount, n, dim, importanceScores = null) */
  static apply(module: Module, name: string, ...args: unknown[]): BasePruningMethod {
    const { amount, n, dim, importanceScores = null } = LN_APPLY.bind('apply', args);
    return applyPruning(this, module, name, [amount, n, dim], importanceScores);
  }
}

interface MaskArgs {
  mask: Tensor;
}
const MASK = signature<MaskArgs>()(['mask'], []);

/** Prunes with a given mask (multiplied into the default mask). */
export class CustomFromMask extends BasePruningMethod {
  static PRUNING_TYPE = 'global';
  mask: Tensor;

  /** CustomFromMask(mask) */
  constructor(...args: [mask: Tensor] | [options: MaskArgs]) {
    super();
    this.mask = MASK.bind('CustomFromMask', args).mask;
  }

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    if (defaultMask.shape.join() !== this.mask.shape.join() || defaultMask.dim() !== this.mask.dim()) throw new TorchError('');
    return defaultMask.mul(this.mask.to({ dtype: defaultMask.dtype }));
  }

  /** CustomFromMask.apply(module, name, mask) */
  static apply(module: Module, name: string, ...args: [mask: Tensor] | [options: MaskArgs]): BasePruningMethod {
    const { mask } = MASK.bind('apply', args);
    return applyPruning(this, module, name, [mask], null);
  }
}

// ---- the functions ------------------------------------------------------------------------------

interface ModuleNameArgs {
  module: Module;
  name: string;
}
const MODULE_NAME = signature<ModuleNameArgs>()(['module', 'name'], []);

/** prune.identity(module, name): reparametrizes module.<name> without pruning anything (mask of ones). */
export function identity(module: Module, name: string, ...none: []): Module {
  const a = MODULE_NAME.bind('identity', [module, name, ...none]);
  Identity.apply(a.module, a.name);
  return a.module;
}

interface RandomUnstructuredArgs extends ModuleNameArgs {
  amount: AmountLike;
}
const RANDOM_UNSTRUCTURED = signature<RandomUnstructuredArgs>()(['module', 'name', 'amount'], []);

/** prune.random_unstructured(module, name, amount): prunes `amount` entries chosen at random. */
export function randomUnstructured(module: Module, name: string, ...rest: [amount: AmountLike] | [options: { amount: AmountLike }]): Module {
  const a = RANDOM_UNSTRUCTURED.bind('randomUnstructured', [module, name, ...rest]);
  RandomUnstructured.apply(a.module, a.name, a.amount);
  return a.module;
}

interface L1UnstructuredArgs extends ModuleNameArgs {
  amount: AmountLike;
  importanceScores?: Tensor | null;
}
const L1_UNSTRUCTURED = signature<L1UnstructuredArgs>()(['module', 'name', 'amount'], ['importanceScores']);

/** prune.l1_unstructured(module, name, amount, importance_scores=None): prunes the `amount` smallest |entries|. */
export function l1Unstructured(
  module: Module,
  name: string,
  ...rest: [amount: AmountLike, importanceScores?: Tensor | null] | [options: { amount: AmountLike; importanceScores?: Tensor | null }] | [AmountLike, { importanceScores?: Tensor | null }]
): Module {
  const a = L1_UNSTRUCTURED.bind('l1Unstructured', [module, name, ...rest]);
  L1Unstructured.apply(a.module, a.name, a.amount, a.importanceScores ?? null);
  return a.module;
}

interface RandomStructuredArgs extends ModuleNameArgs {
  amount: AmountLike;
  dim: number;
}
const RANDOM_STRUCTURED = signature<RandomStructuredArgs>()(['module', 'name', 'amount', 'dim'], []);

/** prune.random_structured(module, name, amount, dim): prunes `amount` channels along dim at random. */
export function randomStructured(
  module: Module,
  name: string,
  ...rest: [amount: AmountLike, dim: number] | [options: { amount: AmountLike; dim: number }] | [AmountLike, { dim: number }]
): Module {
  const a = RANDOM_STRUCTURED.bind('randomStructured', [module, name, ...rest]);
  RandomStructured.apply(a.module, a.name, a.amount, a.dim);
  return a.module;
}

interface LnStructuredArgs extends ModuleNameArgs {
  amount: AmountLike;
  n: NormOrder;
  dim: number;
  importanceScores?: Tensor | null;
}
const LN_STRUCTURED = signature<LnStructuredArgs>()(['module', 'name', 'amount', 'n', 'dim'], ['importanceScores']);

/** prune.ln_structured(module, name, amount, n, dim, importance_scores=None): prunes the channels of smallest Ln norm. */
export function lnStructured(
  module: Module,
  name: string,
  ...rest:
    | [amount: AmountLike, n: NormOrder, dim: number, importanceScores?: Tensor | null]
    | [AmountLike, NormOrder, number, { importanceScores?: Tensor | null }]
    | [AmountLike, NormOrder, { dim: number; importanceScores?: Tensor | null }]
    | [AmountLike, { n: NormOrder; dim: number; importanceScores?: Tensor | null }]
    | [options: { amount: AmountLike; n: NormOrder; dim: number; importanceScores?: Tensor | null }]
): Module {
  const a = LN_STRUCTURED.bind('lnStructured', [module, name, ...rest]);
  LnStructured.apply(a.module, a.name, a.amount, a.n, a.dim, a.importanceScores ?? null);
  return a.module;
}

interface CustomFromMaskArgs extends ModuleNameArgs {
  mask: Tensor;
}
const CUSTOM_FROM_MASK = signature<CustomFromMaskArgs>()(['module', 'name', 'mask'], []);

/** prune.custom_from_mask(module, name, mask): prunes where mask is 0. */
export function customFromMask(module: Module, name: string, ...rest: [mask: Tensor] | [options: { mask: Tensor }]): Module {
  const a = CUSTOM_FROM_MASK.bind('customFromMask', [module, name, ...rest]);
  CustomFromMask.apply(a.module, a.name, a.mask);
  return a.module;
}

/** Importance scores for globalUnstructured: [module, name] pairs (matched by module and name) to tensors. */
export type ImportanceScores = Map<readonly [Module, string], Tensor>;

/** globalUnstructured's options: importanceScores, and the keyword arguments of pruningMethod's constructor. */
export type GlobalUnstructuredOptions = { importanceScores?: ImportanceScores | null } & Record<string, unknown>;

/** Python's <class 'torch.nn.utils.prune.L1Unstructured'> for a method class. */
function pyClassOf(cls: PruningMethodClass): string {
  const builtin = [PruningContainer, Identity, RandomUnstructured, L1Unstructured, RandomStructured, LnStructured, CustomFromMask] as unknown[];
  return builtin.includes(cls) ? `<class 'torch.nn.utils.prune.${cls.name}'>` : `<class '${cls.name}'>`;
}

/**
 * prune.global_unstructured(parameters, pruning_method, importance_scores=None, **kwargs): prunes
 * the (module, name) pairs together, as one flattened tensor, with `new pruningMethod(kwargs)`
 * (an 'unstructured' method, such as prune.L1Unstructured with { amount }).
 */
export function globalUnstructured(
  parameters: Iterable<readonly [Module, string]>,
  pruningMethod: PruningMethodClass,
  ...rest: [importanceScores?: ImportanceScores | null] | [options: GlobalUnstructuredOptions] | [ImportanceScores | null, Record<string, unknown>]
): void {
  bind('globalUnstructured', [parameters, pruningMethod], ['parameters', 'pruningMethod'], []);
  let importanceScores: unknown = null;
  let kwargs: Record<string, unknown> = {};
  const last = rest.length ? rest[rest.length - 1] : undefined;
  const positional = isOptions(last) ? rest.slice(0, -1) : rest;
  if (isOptions(last)) {
    const { importanceScores: scores, ...other } = last as GlobalUnstructuredOptions;
    if (scores !== undefined && positional.length > 0) throw new TorchError("globalUnstructured() got multiple values for argument 'importanceScores'");
    importanceScores = scores;
    kwargs = other;
  }
  if (positional.length > 1) throw new TorchError(`globalUnstructured() takes from 2 to 3 positional arguments but ${positional.length + 2} were given`);
  if (positional.length === 1) importanceScores = positional[0];
  if (parameters === null || parameters === undefined || typeof (parameters as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TorchError('global_unstructured(): parameters is not an Iterable');
  }
  const pairs = [...parameters];
  const scores = importanceScores ?? new Map<readonly [Module, string], Tensor>();
  if (!(scores instanceof Map)) throw new TorchError('global_unstructured(): importance_scores must be of type dict');
  const scoreOf = (module: Module, name: string): Tensor | undefined => {
    for (const [key, t] of scores as ImportanceScores) if (key[0] === module && key[1] === name) return t;
    return undefined;
  };
  const relevant = parametersToVector(
    pairs.map(([module, name]) => {
      const fallback = getattr(module, name) as Tensor;
      return scoreOf(module, name) ?? fallback;
    }),
  );
  const defaultMask = parametersToVector(
    pairs.map(([module, name]) => {
      const ones = onesLike(getattr(module, name) as Tensor);
      return ((module as unknown as Record<string, unknown>)[`${name}_mask`] as Tensor | undefined) ?? ones;
    }),
  );
  const container = new PruningContainer();
  container._tensorName = 'temp';
  const method = new pruningMethod(kwargs);
  method._tensorName = 'temp';
  const type = pruningTypeOf(method);
  if (type !== 'unstructured') {
    throw new TorchError(`Only "unstructured" PRUNING_TYPE supported for the \`pruning_method\`. Found method ${pyClassOf(pruningMethod)} of type ${type ?? 'None'}`);
  }
  container.addPruningMethod(method);
  const finalMask = container.computeMask(relevant, defaultMask);
  let pointer = 0;
  for (const [module, name] of pairs) {
    const param = getattr(module, name) as Tensor;
    const n = param.numel();
    const paramMask = finalMask.narrow(0, pointer, n).viewAs(param);
    customFromMask(module, name, paramMask);
    pointer += n;
  }
}

/**
 * prune.remove(module, name): makes the pruning of module.<name> permanent (a parameter again,
 * holding the pruned values) and takes the pruning off the module.
 */
export function remove(module: Module, name: string, ...none: []): Module {
  const a = MODULE_NAME.bind('remove', [module, name, ...none]);
  const hooks = forwardPreHooks(a.module);
  for (const [k, method] of pruningHooks(a.module)) {
    if (method._tensorName === a.name) {
      method.remove(a.module);
      hooks.delete(k);
      return a.module;
    }
  }
  throw new TorchError(`Parameter '${a.name}' of module ${a.module} has to be pruned before pruning can be removed`);
}

/** prune.is_pruned(module): whether it or any submodule has a pruning hook. */
export function isPruned(module: Module, ...none: []): boolean {
  bind('isPruned', [module, ...none], ['module'], []);
  for (const [, sub] of module.namedModules()) if (pruningHooks(sub).length > 0) return true;
  return false;
}
