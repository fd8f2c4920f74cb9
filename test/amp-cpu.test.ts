// CPU autocast (bfloat16) against PyTorch: which ops run in bf16 and which in fp32 inside a
// region, their values, gradients of a small network trained under autocast, nesting, the
// dtype/enabled rules, and the async form holding across awaits without leaking out.
import * as torch from '../lib';
import { runPython } from './helpers/python';

const F = torch.nn.functional;

type Case = { dtype: string; values: number[] };
const flat = (t: torch.Tensor): Case => ({
  dtype: String(t.dtype).replace('torch.', ''),
  values: (t.float().flatten().tolist() as number[]),
});

// The same inputs on both sides: manual_seed(0) then these draws in this order.
const DRAWS = `
torch.manual_seed(0)
a = torch.randn(4, 8); b = torch.randn(8, 3); bias = torch.randn(3)
x = torch.randn(2, 3, 6, 6); w = torch.randn(4, 3, 3, 3)
b1 = torch.randn(2, 4, 5); b2 = torch.randn(2, 5, 3)
tgt = torch.randn(4, 3)
`;

function draws() {
  torch.manualSeed(0);
  const a = torch.randn([4, 8]), b = torch.randn([8, 3]), bias = torch.randn([3]);
  const x = torch.randn([2, 3, 6, 6]), w = torch.randn([4, 3, 3, 3]);
  const b1 = torch.randn([2, 4, 5]), b2 = torch.randn([2, 5, 3]);
  const tgt = torch.randn([4, 3]);
  return { a, b, bias, x, w, b1, b2, tgt };
}

describe('torch.autocast on CPU (bfloat16) against PyTorch', () => {
  const py = runPython<Record<string, Case>>(`
${DRAWS}
def flat(t): return {'dtype': str(t.dtype).replace('torch.', ''), 'values': t.float().flatten().tolist()}
result = {}
with torch.autocast('cpu', dtype=torch.bfloat16):
    result['mm'] = flat(torch.mm(a, b))
    result['matmul'] = flat(torch.matmul(a, b))
    result['linear'] = flat(torch.nn.functional.linear(a, b.t(), bias))
    result['addmm'] = flat(torch.addmm(bias, a, b))
    result['bmm'] = flat(torch.bmm(b1, b2))
    result['baddbmm'] = flat(torch.baddbmm(torch.zeros(2, 4, 3), b1, b2))
    result['conv2d'] = flat(torch.nn.functional.conv2d(x, w, padding=1))
    y = torch.mm(a, b)
    result['mse_loss'] = flat(torch.nn.functional.mse_loss(y, tgt))
    result['relu'] = flat(torch.relu(a))
    result['relu_bf16'] = flat(torch.relu(y))
    result['cat'] = flat(torch.cat([y, tgt]))
    result['prod'] = flat(torch.prod(y, 0))
    result['add'] = flat(y + tgt)
    with torch.autocast('cpu', enabled=False):
        result['mm_disabled'] = flat(torch.mm(a, b))
result['mm_after'] = flat(torch.mm(a, b))
`);

  test('lower-precision ops run in bfloat16 with PyTorch values, fp32 ops in float32', () => {
    const { a, b, bias, x, w, b1, b2, tgt } = draws();
    const ours: Record<string, Case> = {};
    torch.autocast('cpu', { dtype: torch.bfloat16 }, () => {
      ours.mm = flat(torch.mm(a, b));
      ours.matmul = flat(torch.matmul(a, b));
      ours.linear = flat(F.linear(a, b.t(), bias));
      ours.addmm = flat(torch.addmm(bias, a, b));
      ours.bmm = flat(torch.bmm(b1, b2));
      ours.baddbmm = flat(torch.baddbmm(torch.zeros([2, 4, 3]), b1, b2));
      ours.conv2d = flat(F.conv2d(x, w, null, 1, 1));
      const y = torch.mm(a, b);
      ours.mse_loss = flat(F.mseLoss(y, tgt));
      ours.relu = flat(torch.relu(a));
      ours.relu_bf16 = flat(torch.relu(y));
      ours.cat = flat(torch.cat([y, tgt]));
      ours.prod = flat(torch.prod(y, 0));
      ours.add = flat(y.add(tgt));
      torch.autocast('cpu', { enabled: false }, () => {
        ours.mm_disabled = flat(torch.mm(a, b));
      });
    });
    ours.mm_after = flat(torch.mm(a, b));
    expect(ours).toEqual(py);
    // the dtypes themselves, stated (the equality above already holds them)
    expect(ours.mm.dtype).toBe('bfloat16');
    expect(ours.conv2d.dtype).toBe('bfloat16');
    expect(ours.mse_loss.dtype).toBe('float32');
    expect(ours.mm_disabled.dtype).toBe('float32');
    expect(ours.mm_after.dtype).toBe('float32');
  });

  test('a network trained under autocast: losses, gradients and weights equal PyTorch', () => {
    const steps = 3;
    const ref = runPython<{ losses: number[]; grads: number[][]; weights: number[][] }>(`
torch.manual_seed(0)
l1 = torch.nn.Linear(8, 16); l2 = torch.nn.Linear(16, 3)
x = torch.randn(5, 8); t = torch.randn(5, 3)
params = [l1.weight, l1.bias, l2.weight, l2.bias]
opt = torch.optim.SGD(params, lr=0.1)
losses = []
for _ in range(${steps}):
    opt.zero_grad()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = l2(torch.relu(l1(x)))
        loss = torch.nn.functional.mse_loss(out, t)
    loss.backward()
    losses.append(loss.item())
    grads = [p.grad.flatten().tolist() for p in params]
    opt.step()
result = {'losses': losses, 'grads': grads, 'weights': [p.detach().flatten().tolist() for p in params]}
`);
    torch.manualSeed(0);
    const l1 = new torch.nn.Linear(8, 16), l2 = new torch.nn.Linear(16, 3);
    const x = torch.randn([5, 8]), t = torch.randn([5, 3]);
    const params = [l1.weight, l1.bias!, l2.weight, l2.bias!];
    const opt = new torch.optim.SGD(params, { lr: 0.1 });
    const losses: number[] = [];
    let grads: number[][] = [];
    for (let i = 0; i < steps; i++) {
      opt.zeroGrad();
      const loss = torch.autocast('cpu', { dtype: torch.bfloat16 }, () => F.mseLoss(l2(torch.relu(l1(x))), t));
      expect(loss.dtype).toBe(torch.float32);
      loss.backward();
      losses.push(loss.item() as number);
      grads = params.map((p) => p.grad!.flatten().tolist() as number[]);
      opt.step();
    }
    expect(losses).toEqual(ref.losses);
    expect(grads).toEqual(ref.grads);
    expect(params.map((p) => p.detach().flatten().tolist())).toEqual(ref.weights);
    for (const p of params) expect(p.grad!.dtype).toBe(torch.float32);
  });
});

describe('autocast switches', () => {
  test('isAutocastEnabled / getAutocastDtype inside and outside, nesting restores', () => {
    expect(torch.isAutocastEnabled('cpu')).toBe(false);
    expect(torch.isAutocastCpuEnabled()).toBe(false);
    expect(torch.getAutocastDtype('cpu')).toBe(torch.bfloat16);
    expect(torch.getAutocastDtype('cuda')).toBe(torch.float16);
    const seen = torch.autocast('cpu', () => {
      const inner = torch.autocast('cpu', { enabled: false }, () => torch.isAutocastEnabled('cpu'));
      return [torch.isAutocastEnabled('cpu'), inner, torch.isAutocastEnabled('cpu'), torch.isAutocastEnabled()];
    });
    expect(seen).toEqual([true, false, true, false]);
    expect(torch.isAutocastEnabled('cpu')).toBe(false);
  });

  test('the region ends when fn throws', () => {
    expect(() =>
      torch.autocast('cpu', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(torch.isAutocastEnabled('cpu')).toBe(false);
  });

  test("PyTorch's rules: unknown device raises, unsupported CPU dtype and CUDA without GPUs disable", () => {
    expect(() => torch.autocast('tpu', () => 0)).toThrow(torch.TorchError);
    expect(() => torch.autocast('tpu', () => 0)).toThrow("User specified autocast device_type must be 'cuda' or 'cpu', but got tpu");
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w) => void warnings.push(String(w)));
    try {
      const cpuHalf = torch.autocast('cpu', { dtype: torch.float64 }, () => torch.isAutocastEnabled('cpu'));
      expect(cpuHalf).toBe(false);
      expect(warnings.join('\n')).toMatch(/In CPU autocast, but the target dtype is not supported/);
      if (!torch.cuda.isAvailable()) {
        expect(torch.autocast('cuda', () => torch.isAutocastEnabled('cuda'))).toBe(false);
        expect(warnings.join('\n')).toMatch(/CUDA is not available/);
      }
    } finally {
      emit.mockRestore();
      process.off('warning', onWarning);
    }
  });

  test('the async form holds across awaits and does not leak into concurrent code', async () => {
    const { a, b } = draws();
    const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));
    let outsideDuring: string[] = [];
    const inside = torch.autocast('cpu', async () => {
      const before = String(torch.mm(a, b).dtype);
      await tick();
      const after = String(torch.mm(a, b).dtype);
      await torch.noGrad(async () => {
        await tick();
      });
      return [before, after, String(torch.mm(a, b).dtype), torch.isAutocastEnabled('cpu')];
    });
    const outside = (async () => {
      for (let i = 0; i < 3; i++) {
        await tick();
        outsideDuring.push(String(torch.mm(a, b).dtype));
      }
    })();
    const [seen] = await Promise.all([inside, outside]);
    expect(seen).toEqual(['torch.bfloat16', 'torch.bfloat16', 'torch.bfloat16', true]);
    expect(outsideDuring).toEqual(['torch.float32', 'torch.float32', 'torch.float32']);
    expect(torch.isAutocastEnabled('cpu')).toBe(false);
    outsideDuring = [];
  });

  test('noGrad entered inside an async autocast region keeps autocast', async () => {
    const { a, b } = draws();
    const r = await torch.autocast('cpu', async () =>
      torch.noGrad(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return [String(torch.mm(a, b).dtype), torch.isGradEnabled()];
      }),
    );
    expect(r).toEqual(['torch.bfloat16', false]);
    expect(torch.isGradEnabled()).toBe(true);
  });
});
