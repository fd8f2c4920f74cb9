// Python's format(x, '.{p}f') and format(x, '.{p}e') for doubles. JS's toFixed/toExponential round
// ties away from zero and switch notation past 1e21; Python rounds the exact binary value with ties
// to even and always writes every digit, so the digits are computed exactly here with BigInt.

const bits = new DataView(new ArrayBuffer(8));

/** |x| = mantissa * 2^exponent exactly, for finite nonzero x. */
function decompose(x: number): [bigint, number] {
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // Subnormals have no implicit leading 1 and the smallest exponent.
  return biased === 0 ? [fraction, -1074] : [fraction | (1n << 52n), biased - 1075];
}

/** round(num / den) with ties to even, num and den positive. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** |x| * 10^k as an exact fraction [numerator, denominator]. */
function scaled(x: number, k: number): [bigint, bigint] {
  const [m, e] = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  return [num, den];
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** format(x, '.{precision}f') */
export function formatFixed(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  let digits = '0';
  if (x !== 0) {
    const [num, den] = scaled(x, precision);
    digits = roundHalfEven(num, den).toString();
  }
  digits = digits.padStart(precision + 1, '0');
  const cut = digits.length - precision;
  const body = precision > 0 ? `${digits.slice(0, cut)}.${digits.slice(cut)}` : digits;
  return signOf(x) + body;
}

/** format(x, '.{precision}e') */
export function formatExp(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  let exponent = 0;
  let digits = '0'.repeat(precision + 1);
  if (x !== 0) {
    const low = 10n ** BigInt(precision);
    const high = low * 10n;
    // log10 gives the decimal exponent to within one; the exact fraction settles it.
    exponent = Math.floor(Math.log10(Math.abs(x)));
    let [num, den] = scaled(x, precision - exponent);
    if (num / den < low) [num, den] = scaled(x, precision - --exponent);
    else if (num / den >= high) [num, den] = scaled(x, precision - ++exponent);
    let n = roundHalfEven(num, den);
    if (n === high) {
      n = low;
      exponent++;
    }
    digits = n.toString();
  }
  const mantissa = precision > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expSign = exponent < 0 ? '-' : '+';
  return `${signOf(x)}${mantissa}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
