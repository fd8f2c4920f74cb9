// F.scaledDotProductAttention (PyTorch 2.1) against the 2.1 documented formula run on PyTorch 1.13
// (test/helpers/v2_reference.py): forward and the gradients of query, key, value and a float mask.
import * as path from 'path';
import * as torch from '../lib';
import { F } from '../lib/nn';
import { runPython } from './helpers/python';
import { flat, backwardWeighted } from './helpers/oracle';
import { message } from './helpers/error-oracle';

const HELPERS = path.join(__dirname, 'helpers');

type Inputs = Record<string, torch.Tensor>;
interface Case {
  label: string;
  /** name -> shape; a name starting with `bmask` is a bool mask (no grad), others float64 with grad */
  shapes: Record<string, number[]>;
  /** Python call over the inputs by name, `sdpa` being the reference */
  py: string;
  js: (t: Inputs) => torch.Tensor;
  /** torch.manual_seed right before the call (dropout) */
  seed?: number;
}

const sdpa = F.scaledDotProductAttention;
const QKV = { q: [2, 3, 4, 5], k: [2, 3, 6, 5], v: [2, 3, 6, 7] };

const CASES: Case[] = [
  { label: 'default scale', shapes: QKV, py: 'sdpa(q, k, v)', js: ({ q, k, v }) => sdpa(q, k, v) },
  { label: 'scale keyword', shapes: QKV, py: 'sdpa(q, k, v, scale=0.3)', js: ({ q, k, v }) => sdpa(q, k, v, { scale: 0.3 }) },
  { label: 'bool mask, broadcast (L, S)', shapes: { ...QKV, bmask: [4, 6] }, py: 'sdpa(q, k, v, attn_mask=bmask)', js: ({ q, k, v, bmask }) => sdpa(q, k, v, { attnMask: bmask }) },
  { label: 'float mask (N, 1, L, S) positionally, with its gradient', shapes: { ...QKV, m: [2, 1, 4, 6] }, py: 'sdpa(q, k, v, m)', js: ({ q, k, v, m }) => sdpa(q, k, v, m) },
  { label: 'isCausal, L < S', shapes: QKV, py: 'sdpa(q, k, v, is_causal=True)', js: ({ q, k, v }) => sdpa(q, k, v, { isCausal: true }) },
  { label: 'isCausal, L = S, scale', shapes: { q: [3, 5, 4], k: [3, 5, 4], v: [3, 5, 2] }, py: 'sdpa(q, k, v, None, 0.0, True, scale=2.0)', js: ({ q, k, v }) => sdpa(q, k, v, null, 0.0, true, { scale: 2.0 }) },
  { label: 'unbatched 2-D inputs', shapes: { q: [4, 3], k: [5, 3], v: [5, 2] }, py: 'sdpa(q, k, v)', js: ({ q, k, v }) => sdpa(q, k, v) },
  { label: 'dropoutP 0.4 from the global generator', shapes: QKV, seed: 7, py: 'sdpa(q, k, v, dropout_p=0.4)', js: ({ q, k, v }) => sdpa(q, k, v, { dropoutP: 0.4 }) },
  { label: 'dropout with bool mask', shapes: { ...QKV, bmask: [2, 3, 4, 6] }, seed: 3, py: 'sdpa(q, k, v, bmask, 0.25)', js: ({ q, k, v, bmask }) => sdpa(q, k, v, bmask, 0.25) },
];

interface PyCase {
  data: Record<string, { shape: number[]; values: (number | boolean)[] }>;
  out: (number | string)[];
  grads: Record<string, (number | string)[]>;
}

const expected = runPython<PyCase[]>(`
import sys
sys.path.insert(0, ${JSON.stringify(HELPERS)})
from v2_reference import scaled_dot_product_attention as sdpa
import math
def flat(t):
    t = t.detach()
    return [v if math.isfinite(v) else str(v) for v in t.reshape(-1).tolist()]
def weights(e):
    return (torch.arange(e.numel(), dtype=e.dtype) + 1).sin().reshape(e.shape)
out = []
for i, c in enumerate(json.loads(${JSON.stringify(JSON.stringify(CASES.map((c) => ({ shapes: c.shapes, py: c.py, seed: c.seed ?? null }))))})):
    torch.manual_seed(100 + i)
    t, data = {}, {}
    for name, shape in c['shapes'].items():
        if name.startswith('bmask'):
            x = torch.rand(shape) > 0.4
            x[..., 0] = True  # every query keeps a key: no all -inf row
            data[name] = dict(shape=shape, values=x.reshape(-1).tolist())
        else:
            x = torch.randn(shape, dtype=torch.float64).requires_grad_()
            data[name] = dict(shape=shape, values=x.detach().reshape(-1).tolist())
        t[name] = x
    if c['seed'] is not None: torch.manual_seed(c['seed'])
    o = eval(c['py'], dict(sdpa=sdpa, **t))
    (o * weights(o)).sum().backward()
    out.append(dict(data=data, out=flat(o), grads={n: flat(x.grad) for n, x in t.items() if x.requires_grad}))
result = out
`);

function inputsOf(py: PyCase): Inputs {
  const t: Inputs = {};
  for (const [name, { shape, values }] of Object.entries(py.data)) {
    t[name] = name.startsWith('bmask')
      ? torch.tensor(values as boolean[], { dtype: torch.bool }).reshape(shape)
      : torch.tensor(values as number[], { dtype: torch.float64 }).reshape(shape).requiresGrad_();
  }
  return t;
}

function expectClose(got: (number | string)[], want: (number | string)[], what: string): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i];
    if (typeof w === 'string' || typeof g === 'string') expect(`${what}[${i}] ${g}`).toBe(`${what}[${i}] ${w}`);
    else if (!(Math.abs(g - w) <= 1e-10 * Math.max(1, Math.abs(w)))) throw new Error(`${what}[${i}]: ${g} vs ${w}`);
  });
}

describe('F.scaledDotProductAttention (2.1 semantics)', () => {
  CASES.forEach((c, i) => {
    test(`${c.label}: forward and gradients equal the 2.1 formula`, () => {
      const py = expected[i];
      const t = inputsOf(py);
      if (c.seed !== undefined) torch.manualSeed(c.seed);
      const o = c.js(t);
      backwardWeighted([o]);
      expectClose(flat(o), py.out, 'out');
      for (const [name, grad] of Object.entries(py.grads)) expectClose(flat(t[name].grad!), grad, `${name}.grad`);
    });
  });

  test('an explicit mask with isCausal is 2.x\'s error', () => {
    const q = torch.zeros(2, 3);
    const want = runPython<string>(`
import sys
sys.path.insert(0, ${JSON.stringify(HELPERS)})
from v2_reference import scaled_dot_product_attention as sdpa
q = torch.zeros(2, 3)
result = err(lambda: sdpa(q, q, q, torch.ones(2, 2, dtype=torch.bool), is_causal=True))
`);
    const call = () => sdpa(q, q, q, torch.ones([2, 2], { dtype: torch.bool }), { isCausal: true });
    expect(call).toThrow(torch.TorchError);
    expect(message(call)).toBe(want);
  });

  test('scale is keyword-only, as in Python', () => {
    const q = torch.zeros(2, 3);
    expect(() => (sdpa as (...a: unknown[]) => unknown)(q, q, q, null, 0, false, 0.5)).toThrow(torch.TorchError);
  });
});
