// torch.testing.assert_close (PyTorch 1.13): tensors, numbers, booleans and null compared pair by pair
// through arrays (sequences) and plain objects or Maps (mappings), with Python's checks, default
// tolerances per dtype and messages, raised as Python's AssertionError / ValueError / TypeError.
import { AssertionError, PyTypeError, ValueError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { DType, dtypeFromCode, float16, bfloat16, float32, float64, complex64, complex128, int64 } from '../tensor/dtype';
import { aten } from '../tensor/aten';
import { isOptions, checkKeywords, keysOf } from '../keywords';
import { pyFloat, pyList, pyNumber, pyTuple, pySize } from '../py-format';

export interface AssertCloseOptions {
  allowSubclasses?: boolean;
  /** relative tolerance; give atol with it (default: by dtype, as Python's table) */
  rtol?: number | null;
  atol?: number | null;
  equalNan?: boolean;
  checkDevice?: boolean;
  checkDtype?: boolean;
  checkLayout?: boolean;
  checkStride?: boolean;
  /** replaces the message, or makes it from the generated one */
  msg?: string | ((generated: string) => string) | null;
}
const promoteTypes = aten('promote_types', '');
const KEYS = keysOf<AssertCloseOptions>()('allowSubclasses', 'rtol', 'atol', 'equalNan', 'checkDevice', 'checkDtype', 'checkLayout', 'checkStride', 'msg');

/** Python's default (rtol, atol) per dtype; other dtypes compare exactly. */
const PRECISIONS = new Map<DType, [number, number]>([
  [float16, [0.001, 1e-5]],
  [bfloat16, [0.016, 1e-5]],
  [float32, [1.3e-6, 1e-5]],
  [float64, [1e-7, 1e-7]],
  [complex64, [1.3e-6, 1e-5]],
  [complex128, [1e-7, 1e-7]],
]);

/** A failed check: its error class and message, and where in the inputs (Python's ErrorMeta). */
class Mismatch {
  constructor(
    readonly type: new (message: string) => Error,
    readonly message: string,
    readonly id: readonly (string | number)[] = [],
  ) {}
}

type Options = Required<Omit<AssertCloseOptions, 'msg' | 'allowSubclasses'>>;

function tolerances(dtypes: DType[], o: Options, id: (string | number)[]): [number, number] {
  if ((o.rtol === null) !== (o.atol === null)) {
    throw new Mismatch(ValueError, `Both 'rtol' and 'atol' must be either specified or omitted, but got no ${o.rtol === null ? 'rtol' : 'atol'}.`, id);
  }
  if (o.rtol !== null && o.atol !== null) return [o.rtol, o.atol];
  const each = dtypes.map((d) => PRECISIONS.get(d) ?? [0, 0]);
  return [Math.max(...each.map(([r]) => r)), Math.max(...each.map(([, a]) => a))];
}

function mismatchMessage(what: string, extra: string | null, diffs: [string, number, string | null, number][], rtol: number, atol: number, integral: boolean): string {
  const equality = rtol === 0 && atol === 0;
  let msg = `${what} are not ${equality ? 'equal' : 'close'}!\n\n`;
  if (extra) msg += `${extra}\n`;
  for (const [type, diff, idx, tol] of diffs) {
    const text = pyNumber(diff, !(integral && type === 'absolute'));
    msg += idx === null ? `${type[0].toUpperCase()}${type.slice(1)} difference: ${text}` : `Greatest ${type} difference: ${text} at index ${idx}`;
    msg += equality ? '\n' : ` (up to ${pyFloat(tol)} allowed)\n`;
  }
  return msg.trim();
}

function scalarMessage(actual: number, expected: number, rtol: number, atol: number, integral: boolean): string {
  const abs = Math.abs(actual - expected);
  const rel = expected === 0 ? Infinity : abs / Math.abs(expected);
  return mismatchMessage('Scalars', null, [['absolute', abs, null, atol], ['relative', rel, null, rtol]], rtol, atol, integral);
}

/** The multi-index of a flat position, as Python's tuple: (1,), (0, 2). */
function unravel(flat: number, shape: number[]): string {
  const idx: number[] = [];
  for (const size of [...shape].reverse()) {
    idx.unshift(flat % size);
    flat = Math.floor(flat / size);
  }
  return pyTuple(idx);
}

function compareValues(actual: Tensor, expected: Tensor, rtol: number, atol: number, equalNan: boolean, id: (string | number)[]): void {
  // compared in the widest dtype of their kind, as Python's _promote_for_comparison
  const integral = !actual.dtype.isFloatingPoint && !actual.dtype.isComplex;
  const wide = actual.dtype.isComplex ? complex128 : actual.dtype.isFloatingPoint ? float64 : int64;
  const a = actual.to(wide);
  const e = expected.to(wide);
  const matches = a.isclose(e, rtol, atol, equalNan);
  if (matches.all().item()) return;
  if (a.dim() === 0) {
    throw new Mismatch(AssertionError, scalarMessage(Number(a.item()), Number(e.item()), rtol, atol, integral), id);
  }
  const mismatches = matches.logicalNot();
  const total = Number(mismatches.sum().item());
  const count = a.numel();
  const matchesFlat = matches.flatten();
  const absDiff = a.flatten().sub(e.flatten()).abs();
  absDiff.maskedFill_(matchesFlat, 0);
  const [maxAbs, absAt] = absDiff.max(0);
  const relDiff = absDiff.div(e.flatten().abs());
  relDiff.maskedFill_(matchesFlat, 0);
  const [maxRel, relAt] = relDiff.max(0);
  const extra = `Mismatched elements: ${total} / ${count} (${((100 * total) / count).toFixed(1)}%)`;
  const diffs: [string, number, string, number][] = [
    ['absolute', Number(maxAbs.item()), unravel(Number(absAt.item()), a.shape), atol],
    ['relative', Number(maxRel.item()), unravel(Number(relAt.item()), a.shape), rtol],
  ];
  throw new Mismatch(AssertionError, mismatchMessage('Tensor-likes', extra, diffs, rtol, atol, integral), id);
}


function compareTensors(actual: Tensor, expected: Tensor, o: Options, id: (string | number)[]): void {
  const [rtol, atol] = tolerances([actual.dtype, expected.dtype], o, id);
  const differ = (name: string, a: string, e: string): never => {
    throw new Mismatch(AssertionError, `The values for attribute '${name}' do not match: ${a} != ${e}.`, id);
  };
  if (actual.shape.join() !== expected.shape.join()) differ('shape', pySize(actual.shape), pySize(expected.shape));
  const layoutA = String(actual.layout);
  const layoutE = String(expected.layout);
  if (layoutA !== layoutE) {
    if (o.checkLayout) differ('layout', layoutA, layoutE);
  } else if (layoutA === 'torch.strided' && o.checkStride && actual.stride().join() !== expected.stride().join()) {
    differ('stride()', pyTuple(actual.stride()), pyTuple(expected.stride()));
  }
  const deviceA = String(actual.device);
  const deviceE = String(expected.device);
  if (o.checkDevice && deviceA !== deviceE) differ('device', deviceA, deviceE);
  if (o.checkDtype && actual.dtype !== expected.dtype) differ('dtype', String(actual.dtype), String(expected.dtype));
  if (deviceA === 'meta' || deviceE === 'meta') return;
  let a = actual;
  let e = expected;
  if (deviceA !== deviceE) [a, e] = [a.cpu(), e.cpu()];
  if (a.dtype !== e.dtype) {
    const common = dtypeFromCode(promoteTypes([a.dtype, e.dtype]) as number);
    [a, e] = [a.to(common), e.to(common)];
  }
  if (layoutA !== layoutE) [a, e] = [a.layout === e.layout ? a : a.toDense(), e.layout === a.layout ? e : e.toDense()];
  if (String(a.layout) !== 'torch.strided') [a, e] = [a.toDense(), e.toDense()];
  compareValues(a, e, rtol, atol, o.equalNan, id);
}

function compareNumbers(actual: number, expected: number, o: Options, id: (string | number)[]): void {
  // JS has one number type: two whole numbers compare as Python's ints (exactly), else as floats
  const integral = Number.isInteger(actual) && Number.isInteger(expected);
  const [rtol, atol] = tolerances([integral ? int64 : float64], o, id);
  if (actual === expected) return;
  if (o.equalNan && Number.isNaN(actual) && Number.isNaN(expected)) return;
  const diff = Math.abs(actual - expected);
  if (Number.isFinite(diff) && diff <= atol + rtol * Math.abs(expected)) return;
  throw new Mismatch(AssertionError, scalarMessage(actual, expected, rtol, atol, integral), id);
}

/** Python's type() of a value, for the message when no comparison applies. */
function pyType(v: unknown): string {
  if (v instanceof Tensor) return "<class 'torch.Tensor'>";
  if (v === null || v === undefined) return "<class 'NoneType'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'string') return "<class 'str'>";
  return `<class '${(v as object).constructor?.name ?? 'object'}'>`;
}

const isMapping = (v: unknown): v is Map<unknown, unknown> | Record<string, unknown> => v instanceof Map || isOptions(v);
const entriesOf = (v: Map<unknown, unknown> | Record<string, unknown>): [unknown, unknown][] => (v instanceof Map ? [...v] : Object.entries(v));

function compare(actual: unknown, expected: unknown, o: Options, id: (string | number)[]): void {
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) {
      throw new Mismatch(AssertionError, `The length of the sequences mismatch: ${actual.length} != ${expected.length}`, id);
    }
    actual.forEach((a, i) => compare(a, expected[i], o, [...id, i]));
    return;
  }
  if (isMapping(actual) && isMapping(expected)) {
    const a = new Map(entriesOf(actual));
    const e = new Map(entriesOf(expected));
    const missing = [...e.keys()].filter((k) => !a.has(k)).sort();
    const additional = [...a.keys()].filter((k) => !e.has(k)).sort();
    if (missing.length || additional.length) {
      throw new Mismatch(
        AssertionError,
        `The keys of the mappings do not match:\nMissing keys in the actual mapping: ${pyList(missing)}\nAdditional keys in the actual mapping: ${pyList(additional)}`,
        id,
      );
    }
    for (const key of [...a.keys()].sort()) compare(a.get(key), e.get(key), o, [...id, key as string | number]);
    return;
  }
  if (actual === null || actual === undefined || expected === null || expected === undefined) {
    const none = (v: unknown) => (v === null || v === undefined ? 'None' : String(v));
    if (none(actual) !== 'None' || none(expected) !== 'None') {
      throw new Mismatch(AssertionError, `None mismatch: ${none(actual)} is not ${none(expected)}`, id);
    }
    return;
  }
  if (typeof actual === 'boolean' && typeof expected === 'boolean') {
    if (actual !== expected) throw new Mismatch(AssertionError, `Booleans mismatch: ${actual ? 'True' : 'False'} is not ${expected ? 'True' : 'False'}`, id);
    return;
  }
  if (typeof actual === 'number' && typeof expected === 'number') return compareNumbers(actual, expected, o, id);
  if (actual instanceof Tensor && expected instanceof Tensor) return compareTensors(actual, expected, o, id);
  throw new Mismatch(PyTypeError, `No comparison pair was able to handle inputs of type ${pyType(actual)} and ${pyType(expected)}.`, id);
}

/** The item path Python appends: [1]['a'] */
const pyItem = (id: readonly (string | number)[]): string => id.map((k) => (typeof k === 'string' ? `['${k}']` : `[${k}]`)).join('');

/**
 * torch.testing.assert_close(actual, expected, { rtol, atol, equalNan, checkDevice, checkDtype,
 * checkLayout, checkStride, msg }): throws Python's AssertionError (a TorchError) with its message
 * when the two differ.
 */
export function assertClose(actual: unknown, expected: unknown, options: AssertCloseOptions = {}): void {
  checkKeywords('assertClose', options, KEYS);
  const o: Options = {
    rtol: options.rtol ?? null,
    atol: options.atol ?? null,
    equalNan: options.equalNan ?? false,
    checkDevice: options.checkDevice ?? true,
    checkDtype: options.checkDtype ?? true,
    checkLayout: options.checkLayout ?? true,
    checkStride: options.checkStride ?? false,
  };
  try {
    compare(actual, expected, o, []);
  } catch (e) {
    if (!(e instanceof Mismatch)) throw e;
    const msg = options.msg;
    if (typeof msg === 'string') throw new e.type(msg);
    const generated = e.id.length ? `${e.message}\n\nThe failure occurred for item ${pyItem(e.id)}` : e.message;
    throw new e.type(typeof msg === 'function' ? msg(generated) : generated);
  }
}
