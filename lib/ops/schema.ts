// Parses libtorch operator schema strings, as printed by the runtime registry (same format in 1.13
// and 2.x): "aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor".
// Shared by the runtime overload resolver and scripts/codegen.

export interface ArgType {
  /** base type without list/optional/alias marks: Tensor, Scalar, int, SymInt, float, bool, str, ScalarType, ... */
  base: string;
  /** int[] / int[2] / Tensor[] / Tensor?[] */
  list: boolean;
  /** fixed list length (int[2]), 0 when unsized */
  size: number;
  /** `T?` (the whole argument may be None) */
  optional: boolean;
  /** `Tensor?[]`: list elements may be None */
  elemOptional: boolean;
  /** alias annotation writes to it: Tensor(a!) */
  mutable: boolean;
}

export interface ArgSchema {
  name: string;
  camel: string;
  type: ArgType;
  /** the default as printed by libtorch (`False`, `None`, `[]`, `1`), undefined when required */
  default?: string;
  kwargOnly: boolean;
}

export interface OpSchema {
  /** without namespace: `sum` */
  name: string;
  /** `dim_IntList`, '' for the default overload */
  overload: string;
  args: ArgSchema[];
  returns: ArgType[];
  /** the returns' names (camelCase) when every one has a name: Python's named tuples, (Tensor values, Tensor indices) */
  returnNames?: string[];
  /** the same names as Python spells them (bin_edges), for the named tuple's repr */
  returnPyNames?: string[];
  /** the text between the parentheses, for error messages */
  text: string;
}

/** snake_case -> camelCase, keeping a trailing `_` (in-place) and leading underscores. */
export function camel(snake: string): string {
  const lead = /^_*/.exec(snake)![0];
  const trail = snake.endsWith('_') && snake.length > lead.length ? '_' : '';
  const core = snake.slice(lead.length, snake.length - trail.length);
  return lead + core.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()) + trail;
}

/** Splits at commas not nested in brackets, parentheses or quotes. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote && s[i - 1] !== '\\') quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last) out.push(last);
  return out;
}

export function parseType(t: string): ArgType {
  let s = t.trim();
  let optional = false;
  if (s.endsWith('?')) {
    optional = true;
    s = s.slice(0, -1);
  }
  let list = false;
  let size = 0;
  const m = /^(.*)\[(\d*)\]$/.exec(s);
  if (m) {
    list = true;
    size = m[2] ? Number(m[2]) : 0;
    s = m[1];
  }
  let elemOptional = false;
  if (s.endsWith('?')) {
    elemOptional = true;
    s = s.slice(0, -1);
  }
  const mutable = /\([^)]*!\)/.test(s);
  const base = s.replace(/\(.*\)/, '').trim();
  return { base, list, size, optional, elemOptional, mutable };
}

function parseArg(a: string, kwargOnly: boolean): ArgSchema {
  const eq = a.indexOf('=');
  const decl = eq < 0 ? a : a.slice(0, eq);
  const def = eq < 0 ? undefined : a.slice(eq + 1).trim();
  const sp = decl.trim().lastIndexOf(' ');
  const name = decl.trim().slice(sp + 1);
  return { name, camel: camel(name), type: parseType(decl.trim().slice(0, sp)), default: def, kwargOnly };
}

/** Parses one schema string; the namespace (aten::) is dropped. */
export function parseSchema(schema: string): OpSchema {
  const open = schema.indexOf('(');
  const qual = schema.slice(0, open).replace(/^\w+::/, '');
  const dot = qual.indexOf('.');
  const name = dot < 0 ? qual : qual.slice(0, dot);
  const overload = dot < 0 ? '' : qual.slice(dot + 1);
  // the argument list ends at the ')' that balances the first '('
  let depth = 0;
  let close = open;
  for (let i = open; i < schema.length; i++) {
    if (schema[i] === '(') depth++;
    else if (schema[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  const text = schema.slice(open + 1, close);
  const args: ArgSchema[] = [];
  let kwargOnly = false;
  for (const part of splitTop(text)) {
    if (part === '*') kwargOnly = true;
    else args.push(parseArg(part, kwargOnly));
  }
  let ret = schema.slice(close + 1).replace(/^\s*->\s*/, '').trim();
  if (ret.startsWith('(')) ret = ret.slice(1, -1);
  const parts = splitTop(ret);
  const returns = parts.map((r) => parseType(r.replace(/\s+\w+$/, (w) => (/^\s+(Tensor|int|float|bool)$/.test(w) ? w : ''))));
  const names = parts.map((r) => /\S\s+(\w+)$/.exec(r)?.[1]).filter((n) => n !== undefined && !/^(Tensor|int|float|bool)$/.test(n)) as string[];
  const named = parts.length > 1 && names.length === parts.length;
  return { name, overload, args, returns, returnNames: named ? names.map(camel) : undefined, returnPyNames: named ? names : undefined, text };
}

/** `.out` style overloads write into kwarg-only `out=` tensors; they stay reachable, not preferred. */
export function isOutOverload(s: OpSchema): boolean {
  return s.args.some((a) => a.kwargOnly && a.type.mutable) && !s.name.endsWith('_');
}

/**
 * Must the caller give it? Arguments without a default, except keyword-only optionals
 * (`*, int? correction`), which Python's bindings default to None.
 */
export function isRequired(a: ArgSchema): boolean {
  return a.default === undefined && !(a.kwargOnly && a.type.optional);
}
