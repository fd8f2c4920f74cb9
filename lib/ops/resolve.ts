// Runtime overload resolution, as Python's arg parser does it: try an operator's overloads in order,
// match the JS value kinds (Tensor / number / boolean / array / options object), call the first
// that fits. The choice is cached per call shape (the kinds), so a repeated call costs a short
// string key and a map lookup on top of the native call.
import { TorchError } from '../errors';
import { native, Handle, Result } from '../native';
import { Tensor } from '../tensor/tensor';
import { OpSchema, isRequired } from './schema';
import { Overload, overloadsOf, opIndex, NUMBERS_AS_TENSORS } from './registry';
import { kindOf, fits, isOptions } from './match';
import { toNativeValue, fromNative, namedTuple } from './convert';

interface Plan {
  op: Overload;
  /** schema index of each JS positional argument */
  slots: number[];
  /** schema index of each options key */
  keys: Map<string, number>;
  /** schema index of `self` for method calls, -1 for function calls */
  selfSlot: number;
  /** the positionals are the elements of the one int[] parameter: x.flip(0, 1) */
  varargs: boolean;
  /** schema index of the argument the op writes and returns (in-place and out= forms), or -1 */
  returnsArg: number;
  /** number of non-keyword-only arguments: the native positional array's length */
  npos: number;
}

/** Python binds `self` of a method by name; the function form exposes `self` also as `input`. */
function selfIndex(s: OpSchema): number {
  return s.args.findIndex((a) => a.name === 'self');
}

function argIndex(s: OpSchema, key: string): number {
  return s.args.findIndex((a) => a.camel === key || a.name === key || (key === 'input' && a.name === 'self'));
}

/** The argument an op returns itself: the one with the same mutable alias as its single return. */
function returnedArg(s: OpSchema): number {
  if (s.returns.length !== 1 || !s.returns[0].mutable) return -1;
  return s.args.findIndex((a) => a.type.mutable);
}

function tryPlan(o: Overload, kinds: string[], opts: [string, string][], method: boolean, wrap: boolean): Plan | null {
  const s = o.schema;
  const selfSlot = method ? selfIndex(s) : -1;
  if (method && (selfSlot < 0 || s.args[selfSlot].type.base !== 'Tensor')) return null; // where.ScalarSelf is no method
  const slots: number[] = [];
  for (let j = 0; j < s.args.length; j++) if (!s.args[j].kwargOnly && j !== selfSlot) slots.push(j);
  let pk = kinds;
  let varargs = false;
  const lone = slots.length === 1 ? s.args[slots[0]].type : undefined;
  if (method && lone?.list && (lone.base === 'int' || lone.base === 'SymInt') && kinds.length > 0 &&
      kinds.every((k) => k === 'i') && !(kinds.length === 1 && fits('i', lone, false))) {
    varargs = true;
    pk = ['ai'];
  }
  if (pk.length > slots.length) return null;
  const given = new Set<number>();
  for (let i = 0; i < pk.length; i++) {
    if (!fits(pk[i], s.args[slots[i]].type, wrap)) return null;
    given.add(slots[i]);
  }
  const keys = new Map<string, number>();
  for (const [key, k] of opts) {
    const j = argIndex(s, key);
    if (j < 0 || j === selfSlot || given.has(j) || !fits(k, s.args[j].type, wrap)) return null;
    given.add(j);
    keys.set(key, j);
  }
  for (let j = 0; j < s.args.length; j++) {
    if (j !== selfSlot && isRequired(s.args[j]) && !given.has(j)) return null;
  }
  const npos = s.args.filter((a) => !a.kwargOnly).length;
  return { op: o, slots, keys, selfSlot, varargs, returnsArg: returnedArg(s), npos };
}

const KIND_NAMES: Record<string, string> = { T: 'Tensor', i: 'int', f: 'float', b: 'bool', s: 'str', n: 'null', d: 'dtype', v: 'device', x: 'object' };
const kindName = (k: string): string => (k[0] === 'a' ? `[${[...k.slice(1)].map((c) => KIND_NAMES[c]).join(' | ')}]` : KIND_NAMES[k]);

function noMatch(display: string, candidates: Overload[], kinds: string[], opts: [string, string][]): TorchError {
  const got = [...kinds.map(kindName), ...opts.map(([key, k]) => `${key}=${kindName(k)}`)].join(', ');
  const sigs = candidates.filter((o) => !o.out).map((o) => ` * (${signatureText(o.schema)})`);
  return new TorchError(
    candidates.length === 0
      ? `${display}: libtorch has no such operator`
      : `${display} received an invalid combination of arguments - got (${got}), but expected one of:\n${sigs.join('\n')}`,
  );
}

function typeText(t: OpSchema['args'][number]['type']): string {
  const base = t.base + (t.elemOptional ? '?' : '');
  return (t.list ? `${base}[${t.size || ''}]` : base) + (t.optional ? '?' : '');
}

/** `Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None` with JS names. */
export function signatureText(s: OpSchema): string {
  const parts: string[] = [];
  s.args.forEach((a, j) => {
    if (a.kwargOnly && (j === 0 || !s.args[j - 1].kwargOnly)) parts.push('*');
    parts.push(`${typeText(a.type)} ${a.camel}${a.default !== undefined ? '=' + a.default : ''}`);
  });
  return parts.join(', ');
}

/** An operator's call sites: its overloads (in try order) and the plans chosen per call shape. */
export class Resolver {
  private readonly plans = new Map<string, Plan>();
  constructor(
    readonly display: string,
    private readonly candidates: () => Overload[],
    private readonly wrap: boolean,
  ) {}

  call(args: unknown[], self?: Tensor): unknown {
    let opts: Record<string, unknown> | undefined;
    let n = args.length;
    if (n > 0 && isOptions(args[n - 1])) opts = args[--n] as Record<string, unknown>;
    let key = self ? 'm' : 'f';
    const kinds: string[] = new Array(n);
    for (let i = 0; i < n; i++) key += (kinds[i] = kindOf(args[i])) + ',';
    const optKinds: [string, string][] = [];
    if (opts) {
      for (const k of Object.keys(opts)) if (opts[k] !== undefined) optKinds.push([k, kindOf(opts[k])]);
      for (const [k, kk] of optKinds) key += `${k}=${kk},`;
    }
    let plan = this.plans.get(key);
    if (!plan) {
      const all = this.candidates();
      for (const o of all) if ((plan = tryPlan(o, kinds, optKinds, self !== undefined, this.wrap) ?? undefined)) break;
      if (!plan) plan = this.planWithZeroDimScalars(all, args, kinds, opts, optKinds, self !== undefined);
      if (!plan) throw noMatch(this.display, all, kinds, optKinds);
      this.plans.set(key, plan);
    }
    return run(plan, args, n, opts, self);
  }

  /**
   * Python's parser also takes a 0-dim tensor that does not require grad for an int, float or
   * Scalar (torch.full([2], torch.tensor(3.0))); tried only when nothing else matched, so the
   * usual calls pay nothing. The tensor itself is passed: the native side reads its value.
   */
  private planWithZeroDimScalars(
    all: Overload[],
    args: unknown[],
    kinds: string[],
    opts: Record<string, unknown> | undefined,
    optKinds: [string, string][],
    method: boolean,
  ): Plan | undefined {
    const asScalar = (v: unknown, k: string) => (k === 'T' ? zeroDimKind(v as Tensor) ?? k : k);
    const k2 = kinds.map((k, i) => asScalar(args[i], k));
    const o2 = optKinds.map(([name, k]) => [name, asScalar(opts![name], k)] as [string, string]);
    if (k2.every((k, i) => k === kinds[i]) && o2.every(([, k], i) => k === optKinds[i][1])) return undefined;
    for (const o of all) {
      const plan = tryPlan(o, k2, o2, method, this.wrap);
      if (plan) return plan;
    }
    return undefined;
  }
}

/** The kind a 0-dim, grad-free tensor has when it stands for a number. */
function zeroDimKind(t: Tensor): string | undefined {
  if (t.dim() !== 0 || t.requiresGrad) return undefined;
  const dt = t.dtype;
  if (dt.isComplex) return undefined;
  return dt.isFloatingPoint ? 'f' : dt.name === 'bool' ? 'b' : 'i';
}

function run(plan: Plan, args: unknown[], n: number, opts: Record<string, unknown> | undefined, self?: Tensor): unknown {
  const s = plan.op.schema;
  // positional slots left as holes read as undefined natively: "not given", so defaults apply
  const pos: unknown[] = new Array(plan.npos);
  let kw: Record<string, unknown> | undefined;
  if (self) pos[plan.selfSlot] = self._h;
  if (plan.varargs) pos[plan.slots[0]] = args.slice(0, n);
  else for (let i = 0; i < n; i++) pos[plan.slots[i]] = toNativeValue(args[i], s.args[plan.slots[i]]);
  for (const [k, j] of plan.keys) {
    const a = s.args[j];
    const v = toNativeValue(opts![k], a);
    if (a.kwargOnly) (kw ??= {})[a.camel] = v;
    else pos[j] = v;
  }
  const r = native.opCall(opIndex(plan.op), pos, kw);
  if (plan.returnsArg >= 0) {
    // in-place (x.add_(y)) and out= forms return the very tensor they wrote, as in Python
    const j = plan.returnsArg;
    const target = j === plan.selfSlot ? self : s.args[j].kwargOnly ? opts?.[s.args[j].camel] ?? opts?.[s.args[j].name] : args[plan.slots.indexOf(j)];
    if (target instanceof Tensor) {
      native.dispose(r as Handle);
      return target;
    }
  }
  const out = fromNative(r as Result, s.returns.length === 1 ? s.returns[0] : undefined);
  return s.returnNames && Array.isArray(out) ? namedTuple(out, s.returnNames, s.name, s.returnPyNames!) : out;
}

const resolvers = new Map<string, Resolver>();

/** The resolver of aten::<name> over all its overloads. */
export function resolverOf(name: string): Resolver {
  let r = resolvers.get(name);
  if (!r) {
    r = new Resolver(`${name}()`, () => overloadsOf(name), NUMBERS_AS_TENSORS.has(name));
    resolvers.set(name, r);
  }
  return r;
}

/** torch.<op>(...args): the function form of aten::<name>. */
export function fn(name: string): (...args: unknown[]) => any {
  let r: Resolver | undefined;
  return (...args: unknown[]) => (r ??= resolverOf(name)).call(args);
}

/** Tensor.prototype.<op>: the method form, `this` bound to the schema's `self`. */
export function method(name: string): (this: Tensor, ...args: unknown[]) => any {
  let r: Resolver | undefined;
  return function (this: Tensor, ...args: unknown[]) {
    return (r ??= resolverOf(name)).call(args, this);
  };
}
