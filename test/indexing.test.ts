// x.index(...) / x.indexPut_(...) against Python's x[...] / x[...] = v: result shapes, values,
// whether the result is a view (writing to it changes x), and gradients through the indexing,
// for a table of index expressions checked in ONE Python run; then errors.
import * as torch from '../lib';
import { runPython } from './helpers/python';

type Items = torch.IndexItem[];
type Named = Record<string, torch.Tensor>;

// Tensors both sides define: x is arange(120) as float64 of shape [2, 3, 4, 5].
const PY_SETUP = `
x = torch.arange(120, dtype=torch.float64).reshape(2, 3, 4, 5)
i2 = torch.tensor([[0, 1], [1, 0]])
col = torch.tensor([[0], [2]])
m2 = torch.arange(12).reshape(3, 4) % 3 == 0
one = torch.tensor(1)
v45 = torch.arange(20, dtype=torch.float64).reshape(4, 5)
row4 = torch.arange(4, dtype=torch.float64)
`;
function jsSetup(): Named {
  return {
    x: torch.arange(120, { dtype: torch.float64 }).reshape(2, 3, 4, 5),
    i2: torch.tensor([[0, 1], [1, 0]]),
    col: torch.tensor([[0], [2]]),
    m2: torch.arange(12).reshape(3, 4).remainder(3).eq(0),
    one: torch.tensor(1),
    v45: torch.arange(20, { dtype: torch.float64 }).reshape(4, 5),
    row4: torch.arange(4, { dtype: torch.float64 }),
  };
}

// [Python index expression (inside x[...]), the same items in JS]
const READS: [string, (n: Named) => Items][] = [
  ['0', () => [0]],
  ['-1', () => [-1]],
  ['1, 2', () => [1, 2]],
  ['1, -1, 3, 4', () => [1, -1, 3, 4]],
  [':', () => [':']],
  [':, 1', () => [':', 1]],
  ['..., 2', () => ['...', 2]],
  ['0, ..., 1', () => [0, '...', 1]],
  ['...', () => ['...']],
  ['..., 1, ...', () => ['...', 1, '...']],
  ['None', () => [null]],
  [':, None, 1', () => [':', null, 1]],
  ['..., None', () => ['...', null]],
  ['None, ..., None', () => [null, '...', null]],
  ['1:', () => ['1:']],
  [':, ::2', () => [':', '::2']],
  [':, :, 1:3', () => [':', ':', torch.slice(1, 3)]],
  [':, :, -3:-1', () => [':', ':', '-3:-1']],
  [':, :, ::3, 1::2', () => [':', ':', '::3', torch.slice(1, null, 2)]],
  [':10', () => [torch.slice(null, 10)]],
  [':, 5:', () => [':', '5:']],
  ['1, ..., None, 0:2', () => [1, '...', null, '0:2']],
  ['[0, 1]', () => [[0, 1]]],
  ['[1, 0, 1]', () => [[1, 0, 1]]],
  ['[-1, -2]', () => [[-1, -2]]],
  [':, [2, 0]', () => [':', [2, 0]]],
  ['[0, 1], [1, 2]', () => [[0, 1], [1, 2]]],
  ['[0, 1], :, [1, 2]', () => [[0, 1], ':', [1, 2]]],
  [':, [0, 2], [1, 3]', () => [':', [0, 2], [1, 3]]],
  [':, [0, 2], :, [1, 3]', () => [':', [0, 2], ':', [1, 3]]],
  [':, col, [1, 3]', (n) => [':', n.col, [1, 3]]],
  ['i2', (n) => [n.i2]],
  ['0, None, :, [1, 2]', () => [0, null, ':', [1, 2]]],
  [':, 1:2, None, [0]', () => [':', '1:2', null, [0]]],
  ['1, i2, ::2', (n) => [1, n.i2, '::2']],
  ['x > 50', (n) => [n.x.gt(50)]],
  ['0, m2', (n) => [0, n.m2]],
  ['[True, False]', () => [[true, false]]],
  ['True', () => [true]],
  ['False', () => [false]],
  ['..., [True, False, True, False, True]', () => ['...', [true, false, true, false, true]]],
  ['one', (n) => [n.one]],
  ['one, ..., one', (n) => [n.one, '...', n.one]],
];

// [Python statement on x2 (x[...] = value), JS on x2, value names requiring grad]
const WRITES: [string, (x2: torch.Tensor, n: Named) => unknown][] = [
  ['x2[0] = 1.5', (x2) => x2.indexPut_([0], 1.5)],
  ['x2[:, 1] = v45', (x2, n) => x2.indexPut_([':', 1], n.v45)],
  ['x2[..., 0] = -1', (x2) => x2.indexPut_(['...', 0], -1)],
  ['x2[x2 > 100] = 0', (x2) => x2.indexPut_(x2.gt(100), 0)],
  ['x2[[0, 1], [2, 0]] = 7', (x2) => x2.indexPut_([[0, 1], [2, 0]], 7)],
  ['x2[:, [0, 2], :, [1, 3]] = row4', (x2, n) => x2.indexPut_([':', [0, 2], ':', [1, 3]], n.row4)],
  ['x2[1, ..., ::2] = row4[:3]', (x2, n) => x2.indexPut_([1, '...', '::2'], n.row4.index(':3'))],
  ['x2[None, 0] = 3', (x2) => x2.indexPut_([null, 0], 3)],
  ['x2[[1, 0]] = 5', (x2) => x2.indexPut_([[1, 0]], 5)],
  ['x2[0, :, [True, False, True, False]] = row4[:1]', (x2, n) => x2.indexPut_([0, ':', [true, false, true, false]], n.row4.index('0:1'))],
  ['x2[:, :, 1:3, 2] = v45[0, :2]', (x2, n) => x2.indexPut_([':', ':', '1:3', 2], n.v45.index(0, ':2'))],
  ['x2[1] = x2[0]', (x2) => x2.indexPut_(1, x2.index(0))],
  ['x2[one] = True', (x2, n) => x2.indexPut_(n.one, true)],
  ['x2.index_put_((torch.tensor([0, 0, 1]),), v45, accumulate=True)', (x2, n) => x2.indexPut_([torch.tensor([0, 0, 1])], n.v45, { accumulate: true })],
];

interface ReadResult {
  shape: number[];
  values: number[];
  view: boolean;
  grad: number[];
}
interface WriteResult {
  values: number[];
  gradX: number[];
  gradV: number[] | null;
}

const flat = (t: torch.Tensor): number[] => (t.dim() === 0 ? [t.item() as number] : (t.flatten().tolist() as number[]));

function jsRead(items: (n: Named) => Items): ReadResult {
  const n = jsSetup();
  const x = n.x.clone().requiresGrad_();
  const y = x.index(...items({ ...n, x }));
  const x2 = n.x.clone();
  const y2 = x2.index(...items({ ...n, x: x2 }));
  y2.add_(1000);
  const view = !torch.equal(x2, n.x);
  const w = torch.arange(y.numel(), { dtype: torch.float64 }).reshape(y.shape);
  y.mul(w).sum().backward();
  return { shape: y.shape, values: flat(y.detach()), view, grad: flat(x.grad!) };
}

function jsWrite(stmt: (x2: torch.Tensor, n: Named) => unknown): WriteResult {
  const n = jsSetup();
  const x = n.x.clone().requiresGrad_();
  const v45 = n.v45.clone().requiresGrad_();
  const row4 = n.row4.clone().requiresGrad_();
  const x2 = x.clone();
  stmt(x2, { ...n, v45, row4 });
  const w = torch.arange(x2.numel(), { dtype: torch.float64 }).reshape(x2.shape).remainder(7);
  x2.mul(w).sum().backward();
  const gv = v45.grad ?? row4.grad;
  return { values: flat(x2.detach()), gradX: flat(x.grad!), gradV: gv ? flat(gv) : null };
}

const python = (): { reads: ReadResult[]; writes: WriteResult[] } =>
  runPython(`${PY_SETUP}
base = {'x': x, 'i2': i2, 'col': col, 'm2': m2, 'one': one, 'v45': v45, 'row4': row4}
flat = lambda t: t.detach().flatten().tolist()
reads = []
for expr in ${JSON.stringify(READS.map((r) => r[0]))}:
    xg = x.clone().requires_grad_()
    y = eval('xg[' + expr.replace('x > 50', 'xg > 50') + ']', dict(base, xg=xg, torch=torch))
    x2 = x.clone()
    y2 = eval('x2[' + expr.replace('x > 50', 'x2 > 50') + ']', dict(base, x2=x2))
    y2.add_(1000)
    w = torch.arange(y.numel(), dtype=torch.float64).reshape(y.shape)
    (y * w).sum().backward()
    reads.append({'shape': list(y.shape), 'values': flat(y), 'view': not torch.equal(x2, x), 'grad': flat(xg.grad)})
writes = []
for stmt in ${JSON.stringify(WRITES.map((w) => w[0]))}:
    xg = x.clone().requires_grad_()
    v45g = v45.clone().requires_grad_()
    row4g = row4.clone().requires_grad_()
    x2 = xg.clone()
    exec(stmt, dict(base, x2=x2, v45=v45g, row4=row4g, torch=torch))
    w = (torch.arange(x2.numel(), dtype=torch.float64).reshape(x2.shape) % 7)
    (x2 * w).sum().backward()
    gv = v45g.grad if v45g.grad is not None else row4g.grad
    writes.append({'values': flat(x2), 'gradX': flat(xg.grad), 'gradV': None if gv is None else flat(gv)})
result = {'reads': reads, 'writes': writes}
`);

describe('indexing against PyTorch', () => {
  const expected = python();

  test(`${READS.length} reads and ${WRITES.length} writes in the table (>= 40 expressions)`, () => {
    expect(READS.length + WRITES.length).toBeGreaterThanOrEqual(40);
  });

  test.each(READS.map((r, i) => [r[0], i] as const))('x[%s]: shape, values, view-or-copy, gradient', (_expr, i) => {
    expect(jsRead(READS[i][1])).toEqual(expected.reads[i]);
  });

  test.each(WRITES.map((w, i) => [w[0], i] as const))('%s: values and gradients', (_stmt, i) => {
    expect(jsWrite(WRITES[i][1])).toEqual(expected.writes[i]);
  });
});

describe('indexing errors', () => {
  const x = torch.arange(120, { dtype: torch.float64 }).reshape(2, 3, 4, 5);
  const pyErrors = runPython<string[]>(`${PY_SETUP}
out = []
for expr in ['x[0, 0, 0, 0, 0]', 'x[2]', 'x[:, -4]', 'x[[0, 5]]', 'x[::-1]', 'x[torch.tensor([0]).int()]', 'x[torch.ones(3, dtype=torch.bool)]']:
    try:
        eval(expr)
        out.append('no error')
    except Exception as e:
        out.append(str(e))
result = out
`);
  const cases: [string, () => unknown][] = [
    ['too many indices', () => x.index(0, 0, 0, 0, 0)],
    ['index out of range', () => x.index(2)],
    ['negative index out of range', () => x.index(':', -4)],
    ['advanced index out of range', () => x.index([0, 5])],
    ['negative step', () => x.index('::-1')],
    ['int32 index tensor', () => x.index(torch.tensor([0]).int())],
    ['mask of the wrong shape', () => x.index(torch.ones([3], { dtype: torch.bool }))],
  ];
  test.each(cases.map((c, i) => [c[0], i] as const))('%s: TorchError with PyTorch message', (_label, i) => {
    expect(cases[i][1]).toThrow(torch.TorchError);
    expect(cases[i][1]).toThrow(pyErrors[i]);
  });
  test('bad index types name what was wrong', () => {
    expect(() => x.index(1.5)).toThrow(/valid indices \(got float 1\.5\)/);
    expect(() => x.index('a:b' as string)).toThrow(/got string 'a:b'/);
    expect(() => x.index({} as never)).toThrow(torch.TorchError);
    expect(() => x.index(undefined as never)).toThrow(/got undefined/);
    expect(() => x.indexPut_([0], 'a' as never)).toThrow(/must be a Tensor or a number/);
    expect(() => x.indexPut_([':', 0], 1, { accumulate: true })).toThrow(/tensor \(or array\) indices only/);
  });
  test('select / narrow and the fast x.index(0) are views', () => {
    const y = x.clone();
    y.index(0).fill_(-1);
    y.select(1, 2).fill_(-2);
    y.narrow(3, 1, 2).fill_(-3);
    expect(y.index(0, 0, 0, 0).item()).toBe(-1);
    expect(y.index(1, 2, 0, 0).item()).toBe(-2);
    expect(y.index(1, 1, 1, 2).item()).toBe(-3);
  });
});
