// Python's repr() and str() of plain values, for reprs and messages that must read as PyTorch's.
// JS has one number type: a whole number prints as an int unless the caller knows it is a float
// (pyFloat, or pyNumber's asFloat). A JS array prints as a tuple unless marked with asPyList,
// for where PyTorch keeps a list the caller gave (MaxPool3d(kernel_size=[1, 3, 3])).

/** Python's repr of a float: 0.5, 1.0, 1e-05, 1e+16, -0.0, inf, nan. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // both print the shortest round-trip digits; Python switches to exponent form below 1e-4 and from 1e16
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}

/** Python's repr of an int: every exact digit, where JS rounds digits past 2**53 and writes 1e+21 from 1e21 on. */
export function pyInt(x: number | bigint): string {
  if (typeof x === 'bigint' || Number.isSafeInteger(x)) return String(x);
  return BigInt(x).toString();
}

/** A JS number as Python prints it: a whole number as an int (as a float with asFloat), others as floats. */
export function pyNumber(x: number, asFloat = false): string {
  return Number.isInteger(x) && !asFloat ? pyInt(x) : pyFloat(x);
}

/** Python's repr of a bool. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** Python's repr of a str: single quotes unless the text holds one and no double quote; unprintables escaped. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

// Arrays that stand for Python lists; any copy (as PyTorch's _ntuple makes a tuple) is a tuple again.
const lists = new WeakSet<readonly unknown[]>();

/** Marks an array as a Python list (returned as is), so that it prints as [a, b] rather than (a, b). */
export function asPyList<T extends readonly unknown[]>(xs: T): T {
  lists.add(xs);
  return xs;
}

/** Whether asPyList marked this array. */
export function isPyList(xs: readonly unknown[]): boolean {
  return lists.has(xs);
}

/** Python's repr of a tuple: (2, 3), (5,), (); items by pyRepr unless another printer is given. */
export function pyTuple<T>(xs: readonly T[], item: (x: T) => string = pyRepr): string {
  return xs.length === 1 ? `(${item(xs[0])},)` : `(${xs.map((x) => item(x)).join(', ')})`;
}

/** Python's repr of a list: [2, 3]; items by pyRepr unless another printer is given. */
export function pyList<T>(xs: readonly T[], item: (x: T) => string = pyRepr): string {
  return `[${xs.map((x) => item(x)).join(', ')}]`;
}

/** Python's repr of a JS value: None, True, ints / floats (pyNumber), quoted strs, tuples, marked lists; other objects by their toString. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return pyBool(v);
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'bigint') return pyInt(v);
  if (typeof v === 'string') return pyStrRepr(v);
  if (Array.isArray(v)) return isPyList(v) ? pyList(v) : pyTuple(v);
  return String(v);
}

/** Python's str() (and '{}'.format) of a JS value: a str as its text, anything else as pyRepr. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/** Python's repr of a torch.Size: `torch.Size([2, 3])`. */
export function pySize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}
