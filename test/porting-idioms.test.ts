// Lines of the PyTorch tutorials that a literal port writes, checked against Python: iterating a
// tensor and len(), backward(gradient=...), `with torch.set_grad_enabled(phase == 'train'):`,
// `total += loss.item()` and `model.load_state_dict(torch.load(path))` as TypeScript takes them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';

const PY = runPython<Record<string, unknown>>(`
x = torch.arange(6).view(3, 2)
def err(f):
    try:
        f()
        return 'no error'
    except Exception as e:
        return str(e)
a = torch.ones(2, requires_grad=True)
(a * torch.tensor([2., 3.])).backward(gradient=torch.tensor([1., 10.]))
with torch.set_grad_enabled(False):
    off = (a * 2).requires_grad
with torch.set_grad_enabled(True):
    on = (a * 2).requires_grad
result = dict(
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
