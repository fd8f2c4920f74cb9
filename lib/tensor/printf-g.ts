// C's printf("%g"), which PyTorch's reprs of finfo/iinfo use: `precision` significant digits, exact
// decimal rounding with ties to even (JavaScript's toPrecision rounds ties away from zero:
// float16's eps 0.0009765625 is C's 0.000976562, toPrecision's 0.000976563).

/** x = digits / 10^scale exactly (a double's value is a finite decimal). */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const bits = new BigUint64Array(new Float64Array([Math.abs(x)]).buffer)[0];
  const field = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = field === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (field === 0 ? 1 : field) - 1075;
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  // m / 2^k = m * 5^k / 10^k
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** The first `precision` significant digits, rounded half to even, and the decimal exponent of the first. */
function roundSignificant(x: number, precision: number): { kept: string; exp10: number } {
  const { digits, scale } = exactDecimal(x);
  const all = digits.toString();
  let exp10 = all.length - 1 - scale;
  if (all.length <= precision) return { kept: all.padEnd(precision, '0'), exp10 };
  let kept = BigInt(all.slice(0, precision));
  const rest = all.slice(precision);
  const half = '5'.padEnd(rest.length, '0');
  const up = rest > half || (rest === half && kept % 2n === 1n);
  if (up) kept += 1n;
  let text = kept.toString();
  if (text.length > precision) {
    text = text.slice(0, precision);
    exp10 += 1;
  }
  return { kept: text, exp10 };
}

const stripZeros = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** printf("%.{precision}g", x) */
export function printfG(x: number, precision = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0`;
  const { kept, exp10 } = roundSignificant(x, precision);
  if (exp10 < -4 || exp10 >= precision) {
    const mantissa = stripZeros(`${kept[0]}.${kept.slice(1)}`);
    const e = Math.abs(exp10).toString().padStart(2, '0');
    return `${sign}${mantissa}e${exp10 < 0 ? '-' : '+'}${e}`;
  }
  const text = exp10 >= 0 ? `${kept.slice(0, exp10 + 1)}.${kept.slice(exp10 + 1)}` : `0.${'0'.repeat(-exp10 - 1)}${kept}`;
  return sign + stripZeros(text);
}
