// Schema types -> TypeScript types of the generated signatures.
import { ArgSchema, ArgType, OpSchema } from '../../lib/ops/schema';

const BASE: Record<string, string> = {
  Tensor: 'Tensor',
  Scalar: 'Scalar',
  int: 'number',
  SymInt: 'number',
  float: 'number',
  bool: 'boolean',
  str: 'string',
  ScalarType: 'DTypeLike',
  Device: 'DeviceLike',
  Layout: 'number',
  MemoryFormat: 'number',
};

/** `wrap`: the op takes numbers for tensors (x.mul(2)). */
export function argType(t: ArgType, wrap: boolean): string {
  let s: string;
  const base = BASE[t.base] ?? 'unknown';
  if (t.list) {
    const elem = t.elemOptional ? `(${base} | null)` : base;
    s = t.size > 0 && t.base !== 'Tensor' ? `${base} | ${elem}[]` : `${elem}[]`;
  } else {
    s = t.base === 'Tensor' && wrap ? 'Tensor | Scalar' : base;
  }
  return t.optional ? `${s} | null` : s;
}

function oneReturn(t: ArgType): string {
  if (t.list) return t.base === 'Tensor' ? 'Tensor[]' : 'unknown[]';
  if (t.base === 'Scalar') return 'number';
  if (t.base === 'ScalarType') return 'DType';
  return BASE[t.base] ?? 'unknown';
}

/** The interface of a named tuple return: ValuesIndices for `(Tensor values, Tensor indices)` (a list member adds List). */
export function namedTupleName(s: OpSchema): string | undefined {
  const pascal = (n: string) => n.replace(/(^|_)([a-zA-Z])/g, (_, __, c: string) => c.toUpperCase());
  return s.returnNames?.map((n, i) => pascal(n) + (s.returns[i].list ? 'List' : '')).join('');
}

/**
 * A named tuple's declaration: indexable, iterable (destructuring) and with its members by name. Not
 * an Array: Array's own values() would clash with a `values` member.
 */
export function namedTupleInterface(s: OpSchema): string {
  const members = s.returns.map((t, i) => `  readonly ${i}: ${oneReturn(t)};\n`).join('') +
    s.returnNames!.map((n, i) => `  readonly ${n}: ${oneReturn(s.returns[i])};\n`).join('');
  const element = [...new Set(s.returns.map(oneReturn))].join(' | ');
  return `export interface ${namedTupleName(s)} {\n${members}  readonly length: ${s.returns.length};\n  [Symbol.iterator](): Iterator<${element}>;\n}\n`;
}

export function returnType(s: OpSchema, inplaceMethod: boolean): string {
  if (inplaceMethod) return 'this';
  if (s.returns.length === 0) return 'void';
  if (s.returns.length === 1) return oneReturn(s.returns[0]);
  if (s.returnNames) return `NT.${namedTupleName(s)}`;
  return `[${s.returns.map(oneReturn).join(', ')}]`;
}

const RESERVED = new Set(['default', 'function', 'class', 'delete', 'in', 'var', 'new', 'return', 'switch', 'case', 'for', 'if', 'else', 'do', 'while', 'with', 'this', 'void', 'typeof', 'instanceof', 'const', 'let', 'enum', 'export', 'import', 'extends', 'super', 'throw', 'try', 'catch', 'finally', 'yield', 'null', 'true', 'false', 'debugger', 'continue', 'break']);

export const safeName = (n: string): string => (RESERVED.has(n) ? `${n}_` : n);

/**
 * TypeScript call signatures for one schema (without `self` for methods): required positionals, then
 * any prefix of the defaulted positionals, then an options object of the remaining defaulted and the
 * keyword-only arguments. `x.sum(1, { keepdim: true })` and `x.sum(1, true)` both type-check, as
 * both work in Python.
 */
export function signatures(s: OpSchema, skip: number, wrap: boolean, ret: string): string[] {
  const args = s.args.filter((_, j) => j !== skip);
  const required = args.filter((a) => !a.kwargOnly && a.default === undefined);
  const defaulted = args.filter((a) => !a.kwargOnly && a.default !== undefined);
  const keyword = args.filter((a) => a.kwargOnly);
  // Python's function forms call `self` `input`
  const rename = skip < 0 && !args.some((a) => a.name === 'input');
  const jsName = (a: ArgSchema): string => (rename && a.name === 'self' ? 'input' : safeName(a.camel));
  const param = (a: ArgSchema, opt: boolean): string => `${jsName(a)}${opt ? '?' : ''}: ${argType(a.type, wrap)}`;
  const options = (list: ArgSchema[]): string[] =>
    list.length === 0 ? [] : [`options?: { ${list.map((a) => `${a.camel}?: ${argType(a.type, wrap)}`).join('; ')} }`];
  const req = required.map((a) => param(a, false));
  // the first i defaulted arguments positionally, the rest (and the keyword-only ones) as options
  const out: string[] = [];
  for (let i = 0; i <= defaulted.length; i++) {
    const params = [...req, ...defaulted.slice(0, i).map((a) => param(a, true)), ...options([...defaulted.slice(i), ...keyword])];
    out.push(`(${params.join(', ')}): ${ret};`);
  }
  // Python also takes the required arguments by keyword (torch.max(x, dim=1), x.topk(k=1)): one more
  // signature with all of them in the options object; not for tensors or named dims, to keep it one
  const byKeyword = skip >= 0 ? required : required.slice(1);
  if (byKeyword.length > 0 && byKeyword.every((a) => a.type.base !== 'Tensor' && a.type.base !== 'str')) {
    const keys = [...byKeyword.map((a) => `${a.camel}: ${argType(a.type, wrap)}`), ...[...defaulted, ...keyword].map((a) => `${a.camel}?: ${argType(a.type, wrap)}`)];
    const first = skip >= 0 ? [] : [param(required[0], false)];
    out.push(`(${[...first, `options: { ${keys.join('; ')} }`].join(', ')}): ${ret};`);
  }
  // x.flip(0, 1), x.repeat(2, 1): a lone int[] positional also takes its elements as arguments
  const lone = required.length === 1 && defaulted.length === 0 ? required[0].type : undefined;
  if (skip >= 0 && lone?.list && !lone.optional && (lone.base === 'int' || lone.base === 'SymInt')) {
    out.push(`(...${safeName(required[0].camel)}: number[]): ${ret};`);
  }
  return out;
}
