// nn.intrinsic.qat (ConvBn*, ConvBnReLU*, ConvReLU*, LinearReLU, LinearBn1d) against PyTorch 1.13
// in the same run: seeded construction, a few SGD steps in training (outputs, gradients of input and
// parameters), BN frozen through Module.apply(freezeBnStats), eval; BN's running statistics, the
// fake-quants' state and every other state_dict entry after; the slow (two-convolution) path,
// per-channel fake-quants; reprs and state_dict keys.
import * as torch from '../lib';
import { nn, optim } from '../lib';
import * as nniqat from '../lib/nn/intrinsic/qat';
import * as quantization from '../lib/ao/quantization';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';

const close = closeWithin(1e-4);

const PY_PRELUDE = `
import warnings
warnings.simplefilter('ignore')
from torch.ao.quantization import default_qat_qconfig as qconfig, get_default_qat_qconfig
import torch.nn.intrinsic.qat as nniqat
pc_qconfig = get_default_qat_qconfig('fbgemm')
def sd(m):
    return {k: v.tolist() for k, v in m.state_dict().items()}
def step(m, opt, shape):
    x = torch.randn(*shape, requires_grad=True)
    y = m(x)
    g = torch.randn(y.shape)
    opt.zero_grad()
    (y * g).sum().backward()
    res = {'out': y.tolist(), 'x': x.grad.tolist(), 'grads': [None if p.grad is None else p.grad.tolist() for p in m.parameters()]}
    opt.step()
    return res
def train(m, shape, slow=False):
    m._enable_slow_path_for_better_numerical_stability = slow
    res = {'repr': repr(m), 'keys': list(m.state_dict().keys()), 'steps': []}
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    torch.manual_seed(1)
    for i in range(3):
        res['steps'].append(step(m, opt, shape))
    m.apply(nniqat.freeze_bn_stats)
    res['steps'].append(step(m, opt, shape))
    m.eval()
    res['steps'].append(step(m, opt, shape))
    res['sd'] = sd(m)
    return res
`;

const qconfig = quantization.defaultQatQconfig;
const pcQconfig = quantization.getDefaultQatQconfig('fbgemm');

interface Step { out: unknown; x: unknown; grads: unknown[] }
interface Trained { repr: string; keys: string[]; steps: Step[]; sd: Record<string, unknown> }
type Fused = nn.Module & { _enableSlowPathForBetterNumericalStability?: boolean };

function sd(m: nn.Module): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m.stateDict())) o[k] = out(v as torch.Tensor);
  return o;
}

function step(m: nn.Module, opt: optim.SGD, shape: number[]): Step {
  const x = torch.randn(shape, { requiresGrad: true });
  const y = (m as unknown as (x: torch.Tensor) => torch.Tensor)(x);
  const g = torch.randn(y.shape);
  opt.zeroGrad();
  y.mul(g).sum().backward();
  const res = { out: out(y), x: out(x.grad), grads: [...m.parameters()].map((p) => out(p.grad)) };
  opt.step();
  return res;
}

/** Python's train(): three SGD steps, BN frozen (through Module.apply) for a fourth, then one in eval mode. */
function train(m: Fused, shape: number[], slow = false): Trained {
  if (slow) m._enableSlowPathForBetterNumericalStability = true;
  const res: Trained = { repr: String(m), keys: Object.keys(m.stateDict()), steps: [], sd: {} };
  const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
  torch.manualSeed(1);
  for (let i = 0; i < 3; i++) res.steps.push(step(m, opt, shape));
  m.apply(nniqat.freezeBnStats);
  res.steps.push(step(m, opt, shape));
  m.eval();
  res.steps.push(step(m, opt, shape));
  res.sd = sd(m);
  return res;
}

function expectTrained(got: Trained, want: Trained): void {
  expect(got.repr).toBe(want.repr);
  expect(got.keys).toEqual(want.keys);
  got.steps.forEach((s, i) => {
    close(s.out, want.steps[i].out, 1e-4, `step ${i} out`);
    close(s.x, want.steps[i].x, 1e-4, `step ${i} input grad`);
    close(s.grads, want.steps[i].grads, 1e-4, `step ${i} parameter grads`);
  });
  close(got.sd, want.sd, 1e-4, 'state_dict');
}

// [label, Python constructor (after manual_seed(0)), the same here, input shape, slow path]
type Case = [string, string, () => Fused, number[], boolean];
const CASES: Case[] = [
  ['ConvBn1d', 'nniqat.ConvBn1d(3, 4, 3, qconfig=qconfig)', () => new nniqat.ConvBn1d(3, 4, 3, { qconfig }), [4, 3, 8], false],
  ['ConvBn2d with bias', 'nniqat.ConvBn2d(3, 4, 3, padding=1, bias=True, momentum=0.3, qconfig=qconfig)', () => new nniqat.ConvBn2d(3, 4, 3, { padding: 1, bias: true, momentum: 0.3, qconfig }), [3, 3, 5, 5], false],
  ['ConvBn2d slow path', 'nniqat.ConvBn2d(3, 4, 3, bias=True, qconfig=qconfig)', () => new nniqat.ConvBn2d(3, 4, 3, { bias: true, qconfig }), [3, 3, 5, 5], true],
  ['ConvBn2d slow path no bias', 'nniqat.ConvBn2d(2, 4, 3, stride=2, qconfig=qconfig)', () => new nniqat.ConvBn2d(2, 4, 3, { stride: 2, qconfig }), [3, 2, 6, 6], true],
  ['ConvBn2d slow path per channel', 'nniqat.ConvBn2d(2, 4, 3, bias=True, qconfig=pc_qconfig)', () => new nniqat.ConvBn2d(2, 4, 3, { bias: true, qconfig: pcQconfig }), [3, 2, 6, 6], true],
  ['ConvBn3d', 'nniqat.ConvBn3d(2, 3, 2, eps=1e-3, qconfig=qconfig)', () => new nniqat.ConvBn3d(2, 3, 2, { eps: 1e-3, qconfig }), [2, 2, 3, 4, 3], false],
  ['ConvBnReLU1d', 'nniqat.ConvBnReLU1d(3, 4, 3, bias=True, qconfig=qconfig)', () => new nniqat.ConvBnReLU1d(3, 4, 3, { bias: true, qconfig }), [4, 3, 8], false],
  ['ConvBnReLU2d per channel', 'nniqat.ConvBnReLU2d(4, 4, 3, groups=2, qconfig=pc_qconfig)', () => new nniqat.ConvBnReLU2d(4, 4, 3, { groups: 2, qconfig: pcQconfig }), [3, 4, 5, 5], false],
  ['ConvBnReLU2d slow path', 'nniqat.ConvBnReLU2d(3, 4, 3, bias=True, qconfig=qconfig)', () => new nniqat.ConvBnReLU2d(3, 4, 3, { bias: true, qconfig }), [3, 3, 5, 5], true],
  ['ConvBnReLU3d', 'nniqat.ConvBnReLU3d(2, 3, 2, qconfig=qconfig)', () => new nniqat.ConvBnReLU3d(2, 3, 2, { qconfig }), [2, 2, 3, 4, 3], false],
  ['ConvReLU1d', 'nniqat.ConvReLU1d(3, 4, 3, qconfig=qconfig)', () => new nniqat.ConvReLU1d(3, 4, 3, { qconfig }), [2, 3, 8], false],
  ['ConvReLU2d', 'nniqat.ConvReLU2d(3, 4, 3, stride=2, bias=False, qconfig=qconfig)', () => new nniqat.ConvReLU2d(3, 4, 3, { stride: 2, bias: false, qconfig }), [2, 3, 7, 7], false],
  ['ConvReLU3d', 'nniqat.ConvReLU3d(2, 3, 2, qconfig=qconfig)', () => new nniqat.ConvReLU3d(2, 3, 2, { qconfig }), [2, 2, 3, 4, 3], false],
  ['LinearReLU', 'nniqat.LinearReLU(5, 3, qconfig=qconfig)', () => new nniqat.LinearReLU(5, 3, { qconfig }), [4, 5], false],
  ['LinearReLU per channel', 'nniqat.LinearReLU(5, 3, False, pc_qconfig)', () => new nniqat.LinearReLU(5, 3, false, pcQconfig), [4, 5], false],
];

// LinearBn1d's bias is uninitialised memory in Python (torch.empty): both sides get the same values first
const LINEAR_BN_PY = `
torch.manual_seed(0)
m = nniqat.LinearBn1d(5, 3, qconfig=qconfig)
with torch.no_grad():
    m.bias.copy_(torch.tensor([0.1, -0.2, 0.3]))
`;

const py = runPython<{ cases: Trained[]; linearBn: Trained }>(`${PY_PRELUDE}
cases = []
for ctor, shape, slow in ${JSON.stringify(CASES.map((c) => [c[1], c[3], c[4]])).replace(/false/g, 'False').replace(/true/g, 'True')}:
    torch.manual_seed(0)
    cases.append(train(eval(ctor), shape, slow))
${LINEAR_BN_PY}
result = {'cases': cases, 'linearBn': train(m, [6, 5])}
`);

describe('nn.intrinsic.qat: training steps against PyTorch', () => {
  CASES.forEach(([label, , make, shape, slow], i) => {
    test(label, () => {
      torch.manualSeed(0);
      expectTrained(train(make(), shape, slow), py.cases[i]);
    });
  });
  test('LinearBn1d', () => {
    torch.manualSeed(0);
    const m = new nniqat.LinearBn1d(5, 3, { qconfig });
    torch.noGrad(() => m.bias!.copy_(torch.tensor([0.1, -0.2, 0.3])));
    expectTrained(train(m, [6, 5]), py.linearBn);
  });
});
