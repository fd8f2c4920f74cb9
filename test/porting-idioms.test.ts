// Lines of the PyTorch tutorials that a literal port writes, checked against Python: iterating a
// tensor and len(), backward(gradient=...), `with torch.set_grad_enabled(phase == 'train'):`,
// `total += loss.item()` and `model.load_state_dict(torch.load(path))` as TypeScript takes them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';
import { gc } from '../lib/memory/gc';

const PY = runPython<Record<string, any>>(`
x = torch.arange(6).view(3, 2)
a = torch.ones(2, requires_grad=True)
(a * torch.tensor([2., 3.])).backward(gradient=torch.tensor([1., 10.]))
with torch.set_grad_enabled(False):
    off = (a * 2).requires_grad
with torch.set_grad_enabled(True):
    on = (a * 2).requires_grad
torch.manual_seed(0)
drawn = torch.randint(60000, size=(3,)).tolist()
torch.manual_seed(0)
bounded = torch.randint(low=3, high=9, size=(5,)).tolist()
legacy = {n: str(getattr(torch, n)([1, 0]).dtype) for n in ['FloatTensor', 'DoubleTensor', 'LongTensor', 'IntTensor', 'BoolTensor', 'ByteTensor']}
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    copied = torch.tensor(torch.tensor([1, 2]), dtype=torch.float32)
m = torch.tensor([[1., 5], [3, 4]])
tuples = [repr(torch.max(m, 1)), repr(m.topk(1)), repr(torch.linalg.slogdet(m)), repr(torch.histogram(m, 2))]
ds = torch.utils.data.TensorDataset(torch.arange(10).view(5, 2), torch.arange(5))
xb, yb = ds[1:4]
ib, _ = ds[torch.tensor([4, 0])]
na = torch.ones(5)
nb = na.numpy()
na.add_(1)
nb[0] = 7
w = torch.zeros(2, requires_grad=True)
w.data = torch.ones(3)
from torch.autograd import Variable
vt = torch.ones(2, requires_grad=True)
vv = Variable(vt)
result = dict(
    variable=[vv is vt, vv.requires_grad, vv.is_leaf, Variable(torch.ones(2), requires_grad=True).requires_grad],
    dataSet=[w.tolist(), w.requires_grad], arangeStep=torch.arange(0, 1.1, step=0.25).tolist(), arangeEnd=torch.arange(2, end=5).tolist(),
    linspaceSteps=torch.linspace(0, 1, steps=3).tolist(), scalarFloat=float(torch.sum(torch.ones(3))), scalarLess=bool(torch.tensor(-1.5) < 0),
    scalarErr=err(lambda: float(torch.ones(2))), legacySame=torch.LongTensor(torch.zeros(2, dtype=torch.int64)).tolist(),
    numpyShared=[nb.tolist(), na.tolist()], numpyGrad=err(lambda: torch.ones(2, requires_grad=True).numpy()),
    sliced=[xb.tolist(), yb.tolist()], picked=ib.tolist(),
    tuples=tuples, gradType=err(lambda: setattr(torch.ones(1, requires_grad=True), 'grad', 5)),
    drawn=drawn, bounded=bounded, legacy=legacy, copied=[str(copied.dtype), copied.tolist()], copyWarning=str(caught[0].message),
    zeros=list(torch.zeros(size=(2, 3)).shape), legacyShape=list(torch.FloatTensor(2, 3).shape),
    rows=[r.tolist() for r in x], n=len(x), listed=len(list(x)),
    len0=err(lambda: len(torch.tensor(1))), iter0=err(lambda: iter(torch.tensor(1))),
    grad=a.grad.tolist(), off=off, on=on,
)
`);

describe('a tensor is iterable and has a length, as in Python', () => {
  const x = torch.arange(6).view(3, 2);
  test('for...of gives the rows, as Python\'s for r in x', () => {
    const rows: unknown[] = [];
    for (const r of x) rows.push(r.tolist());
    expect(rows).toEqual(PY.rows);
    expect([...x].length).toBe(PY.listed);
    expect(Array.from(x).map((r) => r.tolist())).toEqual(PY.rows);
  });
  test('length is len(x)', () => expect(x.length).toBe(PY.n));
  test('a 0-d tensor has neither (Python\'s messages, as TorchError)', () => {
    expect(() => torch.tensor(1).length).toThrow(torch.TorchError);
    expect(() => torch.tensor(1).length).toThrow(String(PY.len0));
    expect(() => [...torch.tensor(1)]).toThrow(String(PY.iter0));
  });
  test('destructuring a batch of pairs', () => {
    const [first, second] = torch.tensor([[1, 2], [3, 4]]);
    expect(first.tolist()).toEqual([1, 2]);
    expect(second.tolist()).toEqual([3, 4]);
  });
});

describe('autograd keyword forms', () => {
  test('backward({ gradient }) is backward(gradient=...)', () => {
    const a = torch.ones(2, { requiresGrad: true });
    a.mul(torch.tensor([2, 3], { dtype: torch.float32 })).backward({ gradient: torch.tensor([1, 10], { dtype: torch.float32 }) });
    expect(a.grad!.tolist()).toEqual(PY.grad);
  });
  test('a gradient that is not a tensor is a TorchError', () => {
    const y = torch.ones(2, { requiresGrad: true }).mul(2);
    expect(() => y.backward(5 as never)).toThrow(/argument 'gradient' must be a Tensor/);
    expect(() => y.backward({ gradient: torch.ones(2), retain_graph: true } as never)).toThrow(/unexpected keyword argument 'retain_graph'/);
  });
  test('setGradEnabled(mode, fn) is `with torch.set_grad_enabled(mode):` and restores the mode', () => {
    const a = torch.ones(2, { requiresGrad: true });
    expect(torch.setGradEnabled(false, () => a.mul(2).requiresGrad)).toBe(PY.off);
    expect(torch.isGradEnabled()).toBe(true);
    const on = torch.noGrad(() => torch.setGradEnabled(true, () => a.mul(2).requiresGrad));
    expect(on).toBe(PY.on);
    expect(() => torch.setGradEnabled('train' as never)).toThrow(torch.TorchError);
  });
  test('setGradEnabled(mode, asyncFn) holds across await', async () => {
    const a = torch.ones(2, { requiresGrad: true });
    const r = await torch.setGradEnabled(false, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return a.mul(2).requiresGrad;
    });
    expect(r).toBe(false);
    expect(torch.isGradEnabled()).toBe(true);
  });
});

describe('the typed lines port as written', () => {
  test('total += loss.item() and loadStateDict(await torch.load(p)) compile and run', async () => {
    let total = 0;
    total += torch.tensor(2.5).item();
    expect(total).toBe(2.5);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idioms-'));
    const file = path.join(dir, 'm.pt');
    const model = new nn.Linear(2, 1);
    await torch.save(model.stateDict(), file);
    const other = new nn.Linear(2, 1);
    other.loadStateDict(await torch.load(file));
    expect(other.weight.tolist()).toEqual(model.weight.tolist());
    const checkpoint = await torch.load(file);
    expect(checkpoint.weight.shape).toEqual([1, 2]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('what prints and what is assigned', () => {
  test('named tuples print as Python\'s torch.return_types', () => {
    const m = torch.tensor([[1, 5], [3, 4]], { dtype: torch.float32 });
    const got = [torch.max(m, 1), m.topk(1), torch.linalg.slogdet(m), torch.histogram(m, 2)].map(String);
    expect(got).toEqual(PY.tuples);
  });
  test('assigning a non-tensor to .grad is an error, as in Python', () => {
    const p = torch.ones(1, { requiresGrad: true });
    expect(() => { p.grad = 5 as never; }).toThrow(torch.TorchError);
    expect(PY.gradType).toMatch(/^assigned grad expected to be a Tensor or None but got grad of type/);
    expect(() => { p.grad = 5 as never; }).toThrow('assigned grad expected to be a Tensor or None but got grad of type number');
    p.grad = null;
    expect(p.grad).toBeNull();
  });
});

describe('numpy(): memory shared with a TypedArray, as Python\'s with an ndarray', () => {
  test('writes through either side are seen by the other', () => {
    const a = torch.ones(5);
    const b = a.numpy();
    a.add_(1);
    b[0] = 7;
    expect([Array.from(b as Float32Array), a.tolist()]).toEqual(PY.numpyShared);
  });
  test('the array keeps the memory alive after the tensor is gone', () => {
    const b = torch.arange(1000, { dtype: torch.float64 }).numpy();
    gc();
    torch.arange(1000, { dtype: torch.float64 }).mul(-1); // reuse freed blocks, if the memory were freed
    gc();
    expect((b as Float64Array)[999]).toBe(999);
  });
  test('Python\'s errors: requires grad, and (a TypedArray has no strides) a non-contiguous tensor', () => {
    expect(() => torch.ones(2, { requiresGrad: true }).numpy()).toThrow(PY.numpyGrad);
    expect(() => torch.ones(2, 3).T.numpy()).toThrow(/contiguous/);
    expect(torch.ones(2, 3).T.contiguous().numpy().length).toBe(6);
  });
});

describe('data and saving', () => {
  test('TensorDataset takes a slice or an index tensor, as Python\'s train_ds[i:j]', () => {
    const ds = new torch.utils.data.TensorDataset(torch.arange(10).view(5, 2), torch.arange(5));
    const [xb, yb] = ds.getItem(torch.slice(1, 4));
    expect([xb.tolist(), yb.tolist()]).toEqual(PY.sliced);
    expect(ds.getItem(torch.tensor([4, 0]))[0].tolist()).toEqual(PY.picked);
    expect(ds.getItem([4, 0])[0].tolist()).toEqual(PY.picked);
  });
  test('torch.save(model) saves the whole module, as Python pickles it (test/serialization-module-*)', async () => {
    const f = path.join(os.tmpdir(), `whole-${process.pid}.pt`);
    const m = new nn.Linear(2, 1);
    try {
      await torch.save(m, f);
      const back = (await torch.load(f)) as nn.Linear;
      expect(back).toBeInstanceOf(nn.Linear);
      expect(back.weight.equal(m.weight)).toBe(true);
    } finally {
      fs.rmSync(f, { force: true });
    }
  });
});

describe('more forms of the tutorials', () => {
  test('the legacy torch.autograd.Variable(t, { requiresGrad })', () => {
    const t = torch.ones(2, { requiresGrad: true });
    const v = torch.autograd.Variable(t);
    expect([v === t, v.requiresGrad, v.isLeaf, torch.autograd.Variable(torch.ones(2), { requiresGrad: true }).requiresGrad]).toEqual(PY.variable);
    v.add_(1);
    expect(t.detach().tolist()).toEqual([2, 2]); // the same data
  });
  test('x.data = t replaces the data, outside autograd', () => {
    const w = torch.zeros(2, { requiresGrad: true });
    w.data = torch.ones(3);
    expect([w.tolist(), w.requiresGrad]).toEqual(PY.dataSet);
    expect(() => { w.data = 5 as never; }).toThrow(torch.TorchError);
  });
  test('arange and linspace by keyword', () => {
    expect(torch.arange(0, 1.1, { step: 0.25 }).tolist()).toEqual(PY.arangeStep);
    expect(torch.arange(2, { end: 5 }).tolist()).toEqual(PY.arangeEnd);
    expect(torch.linspace(0, 1, { steps: 3 }).tolist()).toEqual(PY.linspaceSteps);
    expect(() => torch.arange(1, 2, { start: 0 })).toThrow("arange() got multiple values for argument 'start'");
  });
  test('a one-element tensor converts as Python\'s float(x) and compares through bool(x)', () => {
    expect(Number(torch.sum(torch.ones(3)))).toBe(PY.scalarFloat);
    expect((torch.tensor(-1.5) as unknown as number) < 0).toBe(PY.scalarLess);
    expect(() => Number(torch.ones(2))).toThrow(PY.scalarErr);
    expect(`${torch.tensor(2)}`).toBe('tensor(2)');
  });
  test('torch.LongTensor(aLongTensor) is that tensor; another dtype is an error', () => {
    const t = torch.zeros(2, { dtype: torch.int64 });
    expect(torch.LongTensor(t)).toBe(t);
    expect(torch.LongTensor(t).tolist()).toEqual(PY.legacySame);
    expect(() => torch.LongTensor(torch.zeros(2))).toThrow(/expected torch.LongTensor \(got torch.FloatTensor\)/);
  });
});

describe('creation forms of the tutorials', () => {
  test('size by keyword: torch.zeros({ size }) and torch.randint(n, { size }) draw as Python', () => {
    expect(torch.zeros({ size: [2, 3] }).shape).toEqual(PY.zeros);
    torch.manualSeed(0);
    expect(torch.randint(60000, { size: [3] }).tolist()).toEqual(PY.drawn);
    torch.manualSeed(0);
    expect(torch.randint({ low: 3, high: 9, size: [5] }).tolist()).toEqual(PY.bounded);
    expect(() => torch.zeros(2, { size: [2] } as never)).toThrow("zeros() got multiple values for argument 'size'");
  });
  test('legacy constructors: torch.LongTensor([...]) and torch.FloatTensor(2, 3)', () => {
    const legacy = PY.legacy as Record<string, string>;
    for (const [name, dtype] of Object.entries(legacy)) {
      const make = (torch as unknown as Record<string, (d: number[]) => torch.Tensor>)[name];
      expect(`torch.${make([1, 0]).dtype.name}`).toBe(dtype);
    }
    expect(torch.FloatTensor(2, 3).shape).toEqual(PY.legacyShape);
  });
  test('torch.tensor(aTensor) copies with Python\'s UserWarning; asTensor does not copy', () => {
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const src = torch.tensor([1, 2]);
    const copied = torch.tensor(src, { dtype: torch.float32 });
    const warned = emit.mock.calls.map(([message, category]) => [String(message), category]);
    emit.mockRestore();
    const [dtype, values] = PY.copied as [string, number[]];
    expect(`torch.${copied.dtype.name}`).toBe(dtype);
    expect(copied.tolist()).toEqual(values);
    expect(warned).toContainEqual([PY.copyWarning.replace('.requires_grad_(True)', '.requiresGrad_(true)'), 'UserWarning']);
    expect(torch.asTensor(src)).toBe(src);
    const data = new Float32Array([1, 2, 3]);
    const shared = torch.asTensor(data);
    data[0] = 9;
    expect(shared.tolist()).toEqual([9, 2, 3]);
  });
  test('requiresGrad on data that inferred int64 names the cause', () => {
    expect(() => torch.tensor([1, 2], { requiresGrad: true })).toThrow(/inferred int64.*dtype: torch.float32/);
  });
});
