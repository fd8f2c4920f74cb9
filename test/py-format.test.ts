// lib/py-format.ts against Python's own repr() and str(): floats at the exponent-form boundaries,
// signed zero, inf/nan, many random doubles, ints past JS's 1e21, strs with quotes and escapes,
// tuples of one element, nested lists; and layers keeping a list the caller gave (MaxPool3d).
import * as torch from '../lib';
import { asPyList, pyBool, pyFloat, pyInt, pyList, pyNumber, pyRepr, pyStr, pyStrRepr, pyTuple } from '../lib/py-format';
import { runPython } from './helpers/python';

const nn = torch.nn;

// Doubles travel as their 8 bytes (hex), so nan, inf and -0.0 arrive exactly.
const fromHex = (h: string): number => Buffer.from(h, 'hex').readDoubleBE(0);

const FLOATS = [
  '0.1', '0.5', '1.0', '100.0', '-2.5', '0.1 + 0.2', '1/3', '2/3', '-1/3', '123456789.123',
  '1e-05', '1e-4', '0.0001', '0.00012345', '9.999e-05', '1e-7', '5e-324', '1.7976931348623157e308',
  '1e15', '9999999999999998.0', '1e16', '1.5e16', '-1e16', '1e21', '1e22', '1e300', '2.0**53', '2.0**63',
  '0.0', '-0.0', 'float("inf")', 'float("-inf")', 'float("nan")',
];

type FloatCase = { hex: string; repr: string; number: string };

describe('numbers', () => {
  const cases = runPython<FloatCase[]>(`
import random, struct
rng = random.Random(0)
xs = [${FLOATS.join(', ')}]
xs += [rng.uniform(-1, 1) * 10.0 ** rng.randint(-30, 30) for _ in range(300)]
xs += [float(rng.randint(-10**6, 10**6)) for _ in range(20)]
number = lambda x: repr(int(x)) if x == x and abs(x) != float('inf') and x.is_integer() else repr(x)
result = [{'hex': struct.pack('>d', x).hex(), 'repr': repr(x), 'number': number(x)} for x in xs]
`);

  test('pyFloat is repr(float)', () => {
    expect(cases.map((c) => pyFloat(fromHex(c.hex)))).toEqual(cases.map((c) => c.repr));
  });

  test('pyNumber prints whole numbers as ints, with asFloat as floats', () => {
    expect(cases.map((c) => pyNumber(fromHex(c.hex)))).toEqual(cases.map((c) => c.number));
    expect(cases.map((c) => pyNumber(fromHex(c.hex), true))).toEqual(cases.map((c) => c.repr));
  });

  test('pyInt is repr(int), past 1e21 and for bigints', () => {
    const py = runPython<{ small: string[]; big: string[]; bigint: string[] }>(`
ints = [0, 1, -7, 2**31, 2**53, -2**53]
bigs = [1e21, 1e22, 2.0**70, -2.0**100, 1.2345e25]
result = {'small': [repr(i) for i in ints], 'big': [repr(int(x)) for x in bigs], 'bigint': [repr(3**50), repr(-7**40)]}
`);
    expect([0, 1, -7, 2 ** 31, 2 ** 53, -(2 ** 53)].map((i) => pyInt(i))).toEqual(py.small);
    expect([1e21, 1e22, 2 ** 70, -(2 ** 100), 1.2345e25].map((i) => pyInt(i))).toEqual(py.big);
    expect([3n ** 50n, -(7n ** 40n)].map((i) => pyInt(i))).toEqual(py.bigint);
  });

  test('pyBool', () => {
    expect([pyBool(true), pyBool(false)]).toEqual(runPython<string[]>('result = [repr(True), repr(False)]'));
  });
});

const STRINGS = ['abc', '', "it's", 'say "hi"', `both ' and "`, 'tab\there', 'line\nbreak\r', 'back\\slash', '\x00\x1f\x7f', 'é ü 中', '\x85\xa0\xad'];

// JSON with every character outside ' '..'~' escaped, safe inside Python source.
const asciiJson = (v: unknown): string => JSON.stringify(v).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

test('pyStrRepr is repr(str); pyStr of a str is the text', () => {
  const py = runPython<{ repr: string[]; str: string[] }>(`
xs = json.loads(${JSON.stringify(asciiJson(STRINGS))})
result = {'repr': [repr(s) for s in xs], 'str': [str(s) for s in xs]}
`);
  expect(STRINGS.map(pyStrRepr)).toEqual(py.repr);
  expect(STRINGS.map((s) => pyRepr(s))).toEqual(py.repr);
  expect(STRINGS.map((s) => pyStr(s))).toEqual(py.str);
});

// The same value written in JS and in Python; arrays are tuples unless marked as lists.
const VALUES: [unknown, string][] = [
  [null, 'None'],
  [true, 'True'],
  [3, '3'],
  [0.25, '0.25'],
  [1e-5, '1e-05'],
  [[], '()'],
  [[1], '(1,)'],
  [[1, 2.5, null, false, 'a'], "(1, 2.5, None, False, 'a')"],
  [[[1]], '((1,),)'],
  [asPyList([]), '[]'],
  [asPyList([1]), '[1]'],
  [asPyList([1, asPyList([2, 3]), [4], asPyList([[5, 6e-7]])]), '[1, [2, 3], (4,), [(5, 6e-07)]]'],
  [[asPyList(['x', "y'"]), 1.25e-7], `(['x', "y'"], 1.25e-07)`],
];

test('pyRepr and pyStr of None, bools, numbers, tuples and (nested) lists', () => {
  const py = runPython<{ repr: string[]; str: string[] }>(`
xs = [${VALUES.map(([, p]) => p).join(', ')}]
result = {'repr': [repr(x) for x in xs], 'str': [str(x) for x in xs]}
`);
  expect(VALUES.map(([v]) => pyRepr(v))).toEqual(py.repr);
  expect(VALUES.map(([v]) => pyStr(v))).toEqual(py.str);
});

test('pyTuple and pyList with an item printer', () => {
  const py = runPython<string[]>('result = [repr((5,)), repr((1.0, 0.5)), repr([2.0]), repr([])]');
  expect([pyTuple([5]), pyTuple([1, 0.5], pyFloat), pyList([2], pyFloat), pyList([])]).toEqual(py);
});

test('a copy of a marked list is a tuple again', () => {
  const xs = asPyList([1, 2]);
  expect([pyRepr(xs), pyRepr([...xs]), pyRepr(xs.slice())]).toEqual(['[1, 2]', '(1, 2)', '(1, 2)']);
});

test('layers print a list where the caller gave one, a tuple where PyTorch makes one', () => {
  const py = runPython<string[]>(`
nn = torch.nn
result = [repr(m) for m in [
  nn.MaxPool3d([1, 3, 3], stride=[1, 2, 2], padding=[0, 1, 1]),
  nn.MaxPool3d([1, 3, 3]),
  nn.MaxPool3d((1, 3, 3), (1, 2, 2)),
  nn.MaxPool2d(3, [2, 1]),
  nn.AvgPool2d([3, 2], padding=[1, 0]),
  nn.AdaptiveAvgPool2d([4, None]),
  nn.LPPool2d(2, [2, 3]),
  nn.AdaptiveMaxPool3d([2, None, 3]),
  nn.Upsample(size=[4, 6]),
  nn.Upsample(size=(4, 6)),
  nn.Fold([4, 5], [2, 2], padding=[1, 0]),
  nn.Unfold([2, 3], stride=(1, 2)),
  nn.Unflatten(1, [2, 5]),
  nn.Unflatten(1, (2, 5)),
  nn.Conv2d(2, 3, [3, 1], stride=[2, 1]),
]]
`);
  const list = asPyList;
  const js = [
    new nn.MaxPool3d(list([1, 3, 3]), { stride: list([1, 2, 2]), padding: list([0, 1, 1]) }),
    new nn.MaxPool3d(list([1, 3, 3])),
    new nn.MaxPool3d([1, 3, 3], [1, 2, 2]),
    new nn.MaxPool2d(3, list([2, 1])),
    new nn.AvgPool2d(list([3, 2]), { padding: list([1, 0]) }),
    new nn.AdaptiveAvgPool2d(list([4, null])),
    new nn.LPPool2d(2, list([2, 3])),
    new nn.AdaptiveMaxPool3d(list([2, null, 3])),
    new nn.Upsample({ size: list([4, 6]) }),
    new nn.Upsample({ size: [4, 6] }),
    new nn.Fold(list([4, 5]), list([2, 2]), { padding: list([1, 0]) }),
    new nn.Unfold(list([2, 3]), { stride: [1, 2] }),
    new nn.Unflatten(1, list([2, 5])),
    new nn.Unflatten(1, [2, 5]),
    new nn.Conv2d(2, 3, list([3, 1]), { stride: list([2, 1]) }),
  ];
  expect(js.map(String)).toEqual(py);
});
