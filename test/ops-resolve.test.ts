// Overload resolution of the generated op surface, the generic torch.ops.aten path, and errors,
// with grad_fn names and results checked against PyTorch for the same calls.
import * as torch from '../lib';
import { runPython } from './helpers/python';

const f64 = (data: number[] | number[][], requiresGrad = false): torch.Tensor =>
  torch.tensor(data, { dtype: torch.float64, requiresGrad });

// [python expression, JS call]; x = [[1, -2, 3], [4, 5, -6]] float64 requiring grad, i = int64 [1, 2, 3]
const CASES: [string, (x: torch.Tensor, i: torch.Tensor) => unknown][] = [
  ['x.mul(2)', (x) => x.mul(2)],
  ['x.clone().mul_(2)', (x) => x.clone().mul_(2)],
  ['x.clone().add_(2)', (x) => x.clone().add_(2)],
  ['torch.multiply(x, 2)', (x) => torch.multiply(x, 2)],
  ['x.true_divide(4)', (x) => x.trueDivide(4)],
  ['torch.div(x, 4, rounding_mode="floor")', (x) => torch.div(x, 4, { roundingMode: 'floor' })],
  ['torch.div(x, 4, rounding_mode="trunc")', (x) => torch.ops.aten.div(x, 4, { roundingMode: 'trunc' })],
  ['x.pow(2)', (x) => x.pow(2)],
  ['torch.pow(2, x)', (x) => torch.ops.aten.pow(2, x)],
  ['x.sum()', (x) => x.sum()],
  ['x.sum(1, keepdim=True)', (x) => x.sum(1, { keepdim: true })],
  ['x.sum((0, 1))', (x) => x.sum([0, 1])],
  ['x.max()', (x) => x.max()],
  ['x.max(1)', (x) => x.max(1)],
  ['x.max(0, True)', (x) => x.max(0, true)],
  ['x.max(x.flip(0))', (x) => x.max(x.flip(0))],
  ['x.min(dim=1)', (x) => x.min(1)],
  ['x.std()', (x) => x.std()],
  ['x.std(0)', (x) => x.std(0)],
  ['x.var(1, unbiased=False)', (x) => x.var(1, false)],
  ['x.var(1, correction=0, keepdim=True)', (x) => x.var(1, { correction: 0, keepdim: true })],
  ['x.flip(0, 1)', (x) => x.flip(0, 1)],
  ['x.flip([1])', (x) => x.flip([1])],
  ['x.repeat(2, 1)', (x) => x.repeat(2, 1)],
  ['x.expand(2, 2, 3)', (x) => x.expand(2, 2, 3)],
  ['x.clamp(min=0)', (x) => x.clamp({ min: 0 })],
  ['x.clamp(-1, 1)', (x) => x.clamp(-1, 1)],
  ['torch.where(x > 0, x, 0.5)', (x) => torch.where(x.gt(0), x, 0.5)],
  ['x.masked_fill(x < 0, 0)', (x) => x.maskedFill(x.lt(0), 0)],
  ['torch.cat([x, x], 1)', (x) => torch.cat([x, x], 1)],
  ['x.split(1)', (x) => x.split(1)],
  ['x.split([1, 2], 1)', (x) => x.split([1, 2], 1)],
  ['x.topk(2)', (x) => x.topk(2)],
  ['x.sort(descending=True)', (x) => x.sort({ descending: true })],
  ['x.norm(1, 1)', (x) => x.norm(1, 1)],
  ['x.index_select(1, i - 1)', (x, i) => x.indexSelect(1, i.sub(1))],
  ['torch.ops.aten.add.Scalar(x, 3)', (x) => torch.ops.aten.add.Scalar(x, 3)],
  ['torch.ops.aten.add(x, x)', (x) => torch.ops.aten.add(x, x)],
  ['torch.ops.aten.sum.default(x)', (x) => torch.ops.aten.sum.default(x)],
  ['x.detach().clone().relu_()', (x) => x.detach().clone().relu_()],
  ['x.where(x > 0, x.flip(1))', (x) => x.where(x.gt(0), x.flip(1))],
  ['torch.where(x > 0)', (x) => torch.where(x.gt(0))],
  ['torch.zeros(2, 3, dtype=torch.float64).uniform_(-1, 1, generator=torch.Generator().manual_seed(7))',
    () => torch.zeros([2, 3], { dtype: torch.float64 }).uniform_(-1, 1, { generator: (() => { const g = new torch.Generator(); g.manualSeed(7); return g; })() })],
  ['x.new_full((2,), 7)', (x) => x.newFull([2], 7)],
  ['torch.zeros(3, dtype=torch.float64).index_put_([torch.tensor([0, 2, 0])], torch.tensor(1.5, dtype=torch.float64), True)',
    () => torch.zeros([3], { dtype: torch.float64 }).indexPut_([torch.tensor([0, 2, 0])], torch.tensor(1.5, { dtype: torch.float64 }), true)],
  ['torch.linalg.norm(x)', (x) => torch.linalg.norm(x)],
  ['torch.special.expit(x)', (x) => torch.special.expit(x)],
];

type Out = { shape: number[]; dtype: string; values: unknown; gradFn: string | null };

function describeJs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(describeJs);
  const t = v as torch.Tensor;
  return { shape: t.shape, dtype: String(t.dtype), values: t.tolist(), gradFn: t.gradFn?.name() ?? null } as Out;
}

describe('overload resolution matches PyTorch', () => {
  const expected = runPython<unknown[]>(`
x = torch.tensor([[1., -2, 3], [4, 5, -6]], dtype=torch.float64, requires_grad=True)
i = torch.tensor([1, 2, 3])
def d(v):
    if isinstance(v, (tuple, list)):
        return [d(e) for e in v]
    return {'shape': list(v.shape), 'dtype': str(v.dtype), 'values': v.tolist(),
            'gradFn': type(v.grad_fn).__name__ if v.grad_fn is not None else None}
result = [d(eval(e)) for e in ${JSON.stringify(CASES.map((c) => c[0]))}]
`);
  CASES.forEach(([py, js], k) => {
    test(py, () => {
      const x = f64([[1, -2, 3], [4, 5, -6]], true);
      const i = torch.tensor([1, 2, 3]);
      const got = describeJs(js(x, i)) as Out | Out[];
      expect(got).toEqual(expected[k]);
    });
  });
});

describe('returns and in-place forms', () => {
  test('in-place methods return the same Tensor object', () => {
    const x = f64([1, -2]);
    expect(x.relu_()).toBe(x);
    expect(x.clamp_(0, 0.5)).toBe(x);
    expect(x.tolist()).toEqual([0.5, 0]);
  });
  test('out= forms write into and return the out tensor', () => {
    const out = torch.empty([2], { dtype: torch.float64 });
    const r = torch.ops.aten.add(f64([1, 2]), f64([3, 4]), { out });
    expect(r).toBe(out);
    expect(out.tolist()).toEqual([4, 6]);
  });
  test('ScalarType results come back as dtypes', () => {
    expect(torch.resultType(torch.tensor([1, 2]), 2.5)).toBe(torch.float32);
    expect(torch.promoteTypes(torch.int32, torch.float64)).toBe(torch.float64);
  });
  test("named tuples: members by PyTorch's names (camelCase), and still an array to index and destructure", () => {
    const py = runPython<Record<string, unknown>>(`
x = torch.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]], dtype=torch.float64)
a = torch.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=torch.float64)
m, s, h = x.max(1), torch.linalg.slogdet(a), torch.histogram(x, bins=3)
result = dict(indices=m.indices.tolist(), values=m.values.tolist(), topk=x.topk(2).indices.tolist(),
              sign=s.sign.item(), logabsdet=s.logabsdet.item(), binEdges=h.bin_edges.tolist())
`);
    const x = f64([[1, -2, 3], [4, 5, -6]]);
    const m = x.max(1);
    expect(m.indices.tolist()).toEqual(py.indices);
    expect(m.values.tolist()).toEqual(py.values);
    const [values, indices] = m;
    expect(values).toBe(m.values);
    expect(indices).toBe(m[1]);
    expect(Object.keys(m)).toEqual(['0', '1']); // the names are not enumerable
    expect(x.topk(2).indices.tolist()).toEqual(py.topk);
    const s = torch.linalg.slogdet(f64([[2, 1], [1, 3]]));
    expect(s.sign.item()).toBe(py.sign);
    expect(s.logabsdet.item()).toBeCloseTo(py.logabsdet as number, 12);
    expect(torch.histogram(x, { bins: 3 }).binEdges.tolist()).toEqual(py.binEdges);
  });
  test('scalar results are numbers and booleans', () => {
    const x = f64([1, 2]);
    expect(torch.isFloatingPoint(x)).toBe(true);
    expect(torch.ops.aten.size(x, 0)).toBe(2);
  });
});

describe('errors', () => {
  test('no overload matches: a TorchError listing the signatures, as Python does', () => {
    const x = f64([1]);
    expect(() => x.addcmul('a' as never, x)).toThrow(torch.TorchError);
    let message = '';
    try {
      torch.ops.aten.add(x, 'a');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('add() received an invalid combination of arguments - got (Tensor, str)');
    expect(message).toContain(' * (Tensor self, Tensor other, *, Scalar alpha=1)');
  });
  test('unknown option, missing argument, float for an int', () => {
    const x = f64([1, 2]);
    expect(() => x.cumsum(0, { bogus: 1 } as never)).toThrow(/invalid combination of arguments - got \(int, bogus=int\)/);
    expect(() => (x.cumsum as unknown as () => unknown)()).toThrow(/cumsum\(\) received an invalid combination/);
    expect(() => x.cumsum(0.5)).toThrow(/got \(float\)/);
  });
  test('unknown operators and overloads', () => {
    expect(() => torch.ops.aten.noSuchOp).toThrow(/torch.ops.aten has no operator 'noSuchOp'/);
    expect(() => torch.ops.aten.add.noSuchOverload).toThrow(/aten::add has no overload 'noSuchOverload'/);
  });
  test('libtorch errors pass through as TorchError', () => {
    expect(() => torch.mm(f64([[1, 2]]), f64([[1, 2]]))).toThrow(torch.TorchError);
    expect(() => torch.ops.aten.mv(f64([[1, 2]]), f64([1, 2, 3]))).toThrow(/size mismatch|mismatch/);
  });
});

describe('generic path reaches any operator', () => {
  test('private and method-only ops by aten name', () => {
    const x = f64([[1, 2], [3, 4]]);
    expect((torch.ops.aten._softmax(x, 1, false) as torch.Tensor).sum().item()).toBeCloseTo(2, 12);
    expect('mm' in torch.ops.aten).toBe(true);
    expect('nope' in torch.ops.aten).toBe(false);
  });
  test('hand-written fast paths stay on the prototype', () => {
    const own = Object.getOwnPropertyDescriptor(torch.Tensor.prototype, 'add')!.value as () => unknown;
    expect(own.toString()).toContain('addFast');
  });
});

describe('wrapped numbers', () => {
  test('a number is never written to: out= and in-place self must be tensors', () => {
    const x = f64([1, 2]);
    expect(() => torch.ops.aten.add(x, x, { out: 2 })).toThrow(/invalid combination/);
    expect(() => torch.ops.aten.add_.Tensor(2, x)).toThrow(/invalid combination/);
  });
  test('repeated numbers give the same results', () => {
    const x = f64([1, 2]);
    for (let i = 0; i < 3; i++) expect(torch.multiply(x, 0.5).tolist()).toEqual([0.5, 1]);
    expect(torch.multiply(x, -0.5).tolist()).toEqual([-0.5, -1]);
  });
});
