// Python's out=: the hand-written fast forms of torch.add, mul, matmul, sum, cat, ... write into
// the given tensor as PyTorch does (they used to ignore it and return a fresh tensor), and an
// option they do not take is an error instead of being dropped.
import * as torch from '../lib';
import { runPython } from './helpers/python';

const a = torch.tensor([[1, -2], [3, 4]], { dtype: torch.float64 });
const v = torch.tensor([0.5, 2], { dtype: torch.float64 });
const out = (...shape: number[]) => torch.full(shape, -7, { dtype: torch.float64 });
const outLong = () => torch.full([2], -7, { dtype: torch.int64 });

// [name, Python call with out=o, JS call writing into o, o]
const CASES: [string, string, (o: torch.Tensor) => unknown, () => torch.Tensor][] = [
  ['add', 'torch.add(a, a, alpha=2, out=o)', (o) => torch.add(a, a, { alpha: 2, out: o }), () => out(2, 2)],
  ['sub', 'torch.sub(a, v, out=o)', (o) => torch.sub(a, v, { out: o }), () => out(2, 2)],
  ['mul', 'torch.mul(a, a, out=o)', (o) => torch.mul(a, a, { out: o }), () => out(2, 2)],
  ['div', 'torch.div(a, 4, out=o)', (o) => torch.div(a, 4, { out: o }), () => out(2, 2)],
  ['div floor', "torch.div(a, 4, rounding_mode='floor', out=o)", (o) => torch.div(a, 4, { roundingMode: 'floor', out: o }), () => out(2, 2)],
  ['matmul', 'torch.matmul(a, a.T, out=o)', (o) => torch.matmul(a, a.T, { out: o }), () => out(2, 2)],
  ['mm', 'torch.mm(a, a, out=o)', (o) => torch.mm(a, a, { out: o }), () => out(2, 2)],
  ['neg', 'torch.neg(a, out=o)', (o) => torch.neg(a, { out: o }), () => out(2, 2)],
  ['exp', 'torch.exp(a, out=o)', (o) => torch.exp(a, { out: o }), () => out(2, 2)],
  ['log', 'torch.log(v, out=o)', (o) => torch.log(v, { out: o }), () => out(2)],
  ['tanh', 'torch.tanh(a, out=o)', (o) => torch.tanh(a, { out: o }), () => out(2, 2)],
  ['sigmoid', 'torch.sigmoid(a, out=o)', (o) => torch.sigmoid(a, { out: o }), () => out(2, 2)],
  ['sqrt', 'torch.sqrt(v, out=o)', (o) => torch.sqrt(v, { out: o }), () => out(2)],
  ['abs', 'torch.abs(a, out=o)', (o) => torch.abs(a, { out: o }), () => out(2, 2)],
  ['pow', 'torch.pow(a, 2, out=o)', (o) => torch.pow(a, 2, { out: o }), () => out(2, 2)],
  ['eq', 'torch.eq(a, 1, out=o)', (o) => torch.eq(a, 1, { out: o }), () => out(2, 2)],
  ['sum', 'torch.sum(a, 1, out=o)', (o) => torch.sum(a, 1, { out: o }), () => out(2)],
  ['sum by name', 'torch.sum(a, dim=0, keepdim=True, out=o)', (o) => torch.sum(a, { dim: 0, keepdim: true, out: o }), () => out(1, 2)],
  ['mean', 'torch.mean(a, 0, out=o)', (o) => torch.mean(a, 0, { out: o }), () => out(2)],
  ['argmax', 'torch.argmax(a, 1, out=o)', (o) => torch.argmax(a, 1, { out: o }), outLong],
  ['softmax', 'torch.softmax(a, 1, out=o)', (o) => torch.softmax(a, 1, { out: o }), () => out(2, 2)],
  ['logSoftmax', 'torch.log_softmax(a, dim=0, out=o)', (o) => torch.logSoftmax(a, { dim: 0, out: o }), () => out(2, 2)],
  ['cat', 'torch.cat([a, a], out=o)', (o) => torch.cat([a, a], { out: o }), () => out(4, 2)],
  ['cat dim', 'torch.cat([a, a], dim=1, out=o)', (o) => torch.cat([a, a], { dim: 1, out: o }), () => out(2, 4)],
  ['stack', 'torch.stack([v, v], dim=1, out=o)', (o) => torch.stack([v, v], { dim: 1, out: o }), () => out(2, 2)],
];

const PY = runPython<Record<string, number[]>>(`
a = torch.tensor([[1, -2], [3, 4]], dtype=torch.float64)
v = torch.tensor([0.5, 2], dtype=torch.float64)
shapes = json.loads('''${JSON.stringify(Object.fromEntries(CASES.map(([n, , , o]) => [n, [o().shape, o().dtype === torch.int64]])))}''')
calls = json.loads('''${JSON.stringify(Object.fromEntries(CASES.map(([n, py]) => [n, py])))}''')
result = {}
for name, call in calls.items():
    shape, is_long = shapes[name]
    o = torch.full(shape, -7, dtype=torch.int64 if is_long else torch.float64)
    r = eval(call)
    assert r is o
    result[name] = o.flatten().tolist()
`);

describe('out= on the fast forms', () => {
  test.each(CASES.map(([name, , js, o]) => [name, js, o] as const))('torch.%s writes into out as Python does', (name, js, makeOut) => {
    const o = makeOut();
    js(o);
    const got = (o.flatten().tolist() as number[]).map(Number);
    expect(got.length).toBe(PY[name].length);
    got.forEach((x, i) => expect(x).toBeCloseTo(PY[name][i], 12));
  });

  test('an option a fast form does not take is a TorchError, not ignored', () => {
    const bad = { bogus: 1 } as never;
    for (const f of [() => torch.mul(a, a, bad), () => torch.matmul(a, a, bad), () => torch.add(a, a, bad), () => torch.exp(a, bad)]) {
      expect(f).toThrow(torch.TorchError);
      expect(f).toThrow(/unexpected keyword argument 'bogus'/);
    }
  });
});
