// nn.DataParallel as ported scripts use it: `model = nn.DataParallel(model)`, then training, saving
// (Python's 'module.'-prefixed keys, loadable by a Python DataParallel) and `model.module`. On the
// CPU it calls the wrapped module as PyTorch does; on CUDA it moves the inputs to deviceIds[0].
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';
import { describeCuda } from './helpers/cuda';
import { errorOf } from './helpers/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-parallel-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const mlp = () => new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));

describe('nn.DataParallel on the CPU, against PyTorch', () => {
  test('repr, state_dict keys, forward and gradients equal Python; what it saves loads into a Python DataParallel', async () => {
    torch.manualSeed(0);
    const model = new nn.DataParallel(mlp());
    const file = path.join(dir, 'dp.pt');
    await torch.save(model.stateDict(), file);
    const x = torch.randn(5, 4, { dtype: torch.float64 });
    model.double();
    const out = model(x);
    out.sum().backward();
    const py = runPython<{ repr: string; keys: string[]; out: number[][]; grads: number[][][]; loaded: string }>(`
from torch import nn
torch.manual_seed(0)
model = nn.DataParallel(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)))
x = torch.randn(5, 4, dtype=torch.float64)
model.double()
out = model(x)
out.sum().backward()
other = nn.DataParallel(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)))
result = dict(repr=repr(model), keys=list(model.state_dict().keys()), out=out.tolist(),
              grads=[p.grad.tolist() for p in model.parameters()],
              loaded=str(other.load_state_dict(torch.load(${JSON.stringify(file)}))))
`);
    expect(String(model)).toBe(py.repr);
    expect(Object.keys(model.stateDict())).toEqual(py.keys);
    expect(out.tolist()).toEqual(py.out);
    expect([...model.parameters()].map((p) => p.grad!.tolist())).toEqual(py.grads);
    expect(py.loaded).toBe('<All keys matched successfully>');
    expect(model.module).toBeInstanceOf(nn.Sequential);
    expect(Object.keys(model.module.stateDict())).toEqual(py.keys.map((k) => k.replace(/^module\./, '')));
  });

  test('keyword form; without CUDA deviceIds is empty; a non-module is refused', () => {
    const m = mlp();
    const dp = new nn.DataParallel({ module: m, deviceIds: null, dim: 0 });
    expect(dp.module).toBe(m);
    if (!torch.cuda.isAvailable()) expect(dp.deviceIds).toEqual([]);
    expect(errorOf(() => new nn.DataParallel(42 as never)).message).toMatch(/expects an nn.Module/);
    expect(errorOf(() => new nn.DataParallel(m, { devices: [0] } as never)).message).toMatch(/unexpected keyword argument 'devices'/);
  });
});

describeCuda('nn.DataParallel on CUDA', () => {
  test('moves the module to cuda:0 and CPU inputs to it; a module moved away is refused', () => {
    torch.manualSeed(0);
    const cpu = mlp();
    const dp = new nn.DataParallel(nn.deepcopy(cpu));
    expect(dp.deviceIds[0]).toBe(0);
    const x = torch.randn(6, 4);
    const out = dp(x);
    expect(String(out.device)).toBe('cuda:0');
    expect(out.cpu().sub(cpu(x)).abs().max().item()).toBeLessThan(1e-5);
    dp.module.cpu();
    expect(errorOf(() => dp(x)).message).toMatch(/module must have its parameters and buffers on device cuda:0/);
  });
});
