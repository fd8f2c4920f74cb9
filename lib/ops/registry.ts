// The overloads of each aten operator, read from the running libtorch's registry (so a 2.x
// libtorch brings its own schemas), parsed lazily per name and put in the order the resolver tries them.
import { native } from '../native';
import { OpSchema, parseSchema, isOutOverload, isRequired } from './schema';

/**
 * Ops whose Tensor parameters accept JS numbers, as a 0-dim "wrapped number" tensor: the list in
 * Python's arg parser (should_allow_numbers_as_tensors). Python hides their Scalar overloads, so
 * `x.mul(2)` is mul.Tensor (grad_fn MulBackward0), not mul.Scalar.
 */
export const NUMBERS_AS_TENSORS = new Set([
  'add', 'add_', 'div', 'div_', 'divide', 'divide_', 'mul', 'mul_', 'multiply', 'multiply_',
  'sub', 'sub_', 'subtract', 'subtract_', 'true_divide', 'true_divide_', 'floor_divide', 'floor_divide_',
]);

export interface Overload {
  schema: OpSchema;
  /** writes into kwarg-only out= tensors: tried only when such a key is given */
  out: boolean;
  /** native operator index, looked up on first call */
  index: number;
}

let texts: Map<string, string[]> | undefined;

/** Every aten schema string of the running libtorch, grouped by operator name. */
export function schemaTexts(): Map<string, string[]> {
  if (texts) return texts;
  texts = new Map();
  for (const s of native.opSchemas()) {
    const m = /^aten::([^.(]+)/.exec(s);
    if (!m) continue;
    const list = texts.get(m[1]);
    if (list) list.push(s);
    else texts.set(m[1], [s]);
  }
  return texts;
}

const required = (s: OpSchema): number => s.args.filter(isRequired).length;

/**
 * Try order: the default overload first, then fewer required arguments, then fewer arguments, then
 * by overload name (deterministic; ties that both match compute the same thing, e.g. std.dim vs
 * std.correction).
 */
function compare(a: OpSchema, b: OpSchema): number {
  if ((a.overload === '') !== (b.overload === '')) return a.overload === '' ? -1 : 1;
  return required(a) - required(b) || a.args.length - b.args.length || (a.overload < b.overload ? -1 : a.overload > b.overload ? 1 : 0);
}

const cache = new Map<string, Overload[]>();

/** The overloads of aten::<name> in try order ([] when libtorch has no such operator). */
export function overloadsOf(name: string): Overload[] {
  let list = cache.get(name);
  if (list) return list;
  const hideScalar = NUMBERS_AS_TENSORS.has(name);
  const schemas = (schemaTexts().get(name) ?? []).map(parseSchema).filter((s) => !(hideScalar && s.overload.startsWith('Scalar')));
  list = schemas.sort(compare).map((schema) => ({ schema, out: isOutOverload(schema), index: -1 }));
  cache.set(name, list);
  return list;
}

/** The native operator index of an overload. */
export function opIndex(o: Overload): number {
  if (o.index < 0) o.index = native.opFind(`aten::${o.schema.name}`, o.schema.overload);
  return o.index;
}

/** One overload by name, including those hidden from resolution (add.Scalar); '' or 'default' is the default. */
export function overloadNamed(name: string, overload: string): Overload | undefined {
  const want = overload === 'default' ? '' : overload;
  const text = (schemaTexts().get(name) ?? []).find((s) => parseSchema(s).overload === want);
  if (text === undefined) return undefined;
  const schema = parseSchema(text);
  return { schema, out: isOutOverload(schema), index: -1 };
}
