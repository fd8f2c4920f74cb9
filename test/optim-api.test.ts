// Optimizer API: zeroGrad, param groups and defaults, mutable lr, closures, PyTorch's errors and repr.
import * as torch from '../lib';
import { ValueError } from '../lib/errors';
import { runPython } from './helpers/python';

const { optim } = torch;

function quadratic(ps: torch.Tensor[]): torch.Tensor {
  return ps.map((p) => p.mul(p).sum()).reduce((a, b) => a.add(b));
}

function withGrads(): torch.Tensor[] {
  const ps = [torch.tensor([1, 2], { dtype: torch.float64 }).requiresGrad_(), torch.tensor([3], { dtype: torch.float64 }).requiresGrad_()];
  quadratic(ps).backward();
  return ps;
}

describe('zeroGrad', () => {
  test('sets gradients to null by default (setToNone, as PyTorch 2)', () => {
    const ps = withGrads();
    new optim.SGD(ps, { lr: 0.1 }).zeroGrad();
    expect(ps.map((p) => p.grad)).toEqual([null, null]);
  });
  test('setToNone: false zeroes the gradient tensors in place', () => {
    const ps = withGrads();
    new optim.SGD(ps, { lr: 0.1 }).zeroGrad({ setToNone: false });
    expect(ps.map((p) => p.grad!.tolist())).toEqual([[0, 0], [0]]);
  });
});

describe('param groups', () => {
  test('groups take the defaults they do not set; stateDict lists parameter indices per group', () => {
    const [a, b] = withGrads();
    const c = torch.zeros(2, { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: b, lr: 0.01 }], { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: [c], weightDecay: 0.5 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum, g.weightDecay])).toEqual([[0.1, 0.9, 0], [0.01, 0.9, 0], [0.1, 0.9, 0.5]]);
    expect(opt.stateDict().param_groups.map((g) => [g.params, g.weight_decay])).toEqual([[[0], 0], [[1], 0], [[2], 0.5]]);
  });
  test("a group with Python's option names (torchvision's set_weight_decay dicts) sets those options, as Python's SGD does", () => {
    const want = runPython<number[][]>(`
torch.manual_seed(0)
a, b = torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)
opt = torch.optim.SGD([{'params': a.parameters(), 'weight_decay': 0.0}, {'params': b.parameters(), 'weight_decay': 0.3, 'lr': 0.05}], lr=0.1, weight_decay=1e-4, momentum=0.9)
for _ in range(3):
    opt.zero_grad()
    (a(torch.ones(1, 3)).sum() + b(torch.ones(1, 3)).sum()).backward()
    opt.step()
result = [[g['weight_decay'] for g in opt.param_groups], a.weight.flatten().tolist() + b.weight.flatten().tolist()]`);
    torch.manualSeed(0);
    const [a, b] = [new torch.nn.Linear(3, 2), new torch.nn.Linear(3, 2)];
    const opt = new optim.SGD([{ params: a.parameters(), weight_decay: 0.0 }, { params: b.parameters(), weight_decay: 0.3, lr: 0.05 }], { lr: 0.1, weightDecay: 1e-4, momentum: 0.9 });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      a(torch.ones(1, 3)).sum().add(b(torch.ones(1, 3)).sum()).backward();
      opt.step();
    }
    expect(opt.paramGroups.map((g) => g.weightDecay)).toEqual(want[0]);
    expect(opt.paramGroups.every((g) => !('weight_decay' in g))).toBe(true);
    const got = [...(a.weight.flatten().tolist() as number[]), ...(b.weight.flatten().tolist() as number[])];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[1][i], 6));
    expect(() => new optim.SGD([{ params: [torch.zeros(1, { requiresGrad: true })], weight_decay: 0, weightDecay: 1 }], { lr: 0.1 })).toThrow('param group gives both weight_decay and weightDecay');
  });
  test('a changed paramGroups[i].lr is used by the next step', () => {
    const ps = withGrads();
    const opt = new optim.SGD(ps, { lr: 0.1 });
    opt.paramGroups[0].lr = 0;
    opt.step();
    expect(ps.map((p) => p.tolist())).toEqual([[1, 2], [3]]);
    opt.paramGroups[0].lr = 0.5;
    opt.step();
    expect(ps.map((p) => p.tolist())).toEqual([[0, 0], [0]]);
  });
  test('step(closure) evaluates the closure with gradients on and returns its loss', () => {
    const ps = [torch.tensor([1, 2], { dtype: torch.float64 }).requiresGrad_()];
    const opt = new optim.Adam(ps);
    const loss = torch.noGrad(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = quadratic(ps);
        l.backward();
        return l;
      }),
    ) as torch.Tensor;
    expect(loss.item()).toBe(5);
    expect(ps[0].grad!.tolist()).toEqual([2, 4]);
  });
});

describe("PyTorch's errors", () => {
  const p = () => [torch.zeros(2, { requiresGrad: true })];
  test.each([
    ['SGD without lr', () => new optim.SGD(p()), "parameter group didn't specify a value of required optimization parameter lr"],
    ['negative lr', () => new optim.Adam(p(), { lr: -1 }), 'Invalid learning rate: -1'],
    ['beta out of range', () => new optim.AdamW(p(), { betas: [0.9, 1] }), 'Invalid beta parameter at index 1: 1'],
    ['nesterov without momentum', () => new optim.SGD(p(), { lr: 0.1, nesterov: true }), 'Nesterov momentum requires a momentum and zero dampening'],
    ['empty parameter list', () => new optim.SGD([], { lr: 0.1 }), 'optimizer got an empty parameter list'],
    ['non-leaf tensor', () => new optim.SGD([torch.zeros(2, { requiresGrad: true }).mul(2)], { lr: 0.1 }), "can't optimize a non-leaf Tensor"],
    ['LBFGS with groups', () => new optim.LBFGS([{ params: p() }, { params: p() }]), "LBFGS doesn't support per-parameter options (parameter groups)"],
    ['LBFGS without closure', () => new optim.LBFGS(p()).step(), 'LBFGS.step() requires a closure'],
    ['fused Adam on CPU', () => new optim.Adam(p(), { fused: true }), 'FusedAdam requires all the params to be CUDA, floating point'],
    ['fused and differentiable Adam', () => new optim.Adam(p(), { fused: true, differentiable: true }), '`fused` cannot be `differentiable`'],
  ])('%s', (_, fn, message) => {
    expect(fn).toThrow(torch.TorchError);
    expect(fn).toThrow(message);
  });
  test("the hyper-parameter checks raise Python's ValueError", () => {
    expect(() => new optim.SGD(p())).toThrow(ValueError);
    expect(() => new optim.Adam(p(), { lr: -1 })).toThrow(ValueError);
    expect(() => new optim.SGD(p(), { lr: 0.1, nesterov: true })).toThrow(ValueError);
  });
  test('a parameter in two groups', () => {
    const ps = p();
    const opt = new optim.SGD(ps, { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: ps })).toThrow('some parameters appear in more than one parameter group');
  });
  test('a state dict with another number of groups', () => {
    const opt = new optim.SGD(p(), { lr: 0.1 });
    expect(() => opt.loadStateDict({ state: {}, param_groups: [] })).toThrow('loaded state dict has a different number of parameter groups');
    expect(() => opt.loadStateDict({ state: {}, param_groups: [{ params: [0, 1] }] })).toThrow("doesn't match the size of optimizer's group");
  });
});

test("String(optimizer) is PyTorch's repr", () => {
  const want = runPython<string[]>(`
p = [torch.zeros(2, requires_grad=True)]
result = [repr(torch.optim.SGD(p, lr=0.1, momentum=0.9)), repr(torch.optim.Adam(p, lr=0.001, weight_decay=0.01))]
`);
  const p = [torch.zeros(2, { requiresGrad: true })];
  expect([String(new optim.SGD(p, { lr: 0.1, momentum: 0.9 })), String(new optim.Adam(p, { lr: 0.001, weightDecay: 0.01 }))]).toEqual(want);
});
