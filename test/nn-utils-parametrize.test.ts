// nn.utils.parametrize, nn.utils.parametrizations (orthogonal, spectral_norm) and the hook-based
// nn.utils.weight_norm / spectral_norm vs PyTorch 1.13: after the same torch.manualSeed, the same
// parameters, buffers, state_dict (keys such as 'parametrizations.weight.original' and
// 'weight_g' / 'weight_orig', and values, power-iteration vectors included), the same
// parametrized weights, forward values and gradients (and a forward after an SGD step), the same
// reprs; right_inverse through assignment, several parametrizations on one tensor, a sequence of
// originals, buffers, removal, caching, state_dicts across languages and Python's error texts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';
import { pythonErrors, message } from './helpers/error-oracle';

const { parametrize, parametrizations } = torch.nn.utils;
const utils = torch.nn.utils;

class Sym extends nn.Module {
  forward(X: Tensor): Tensor {
    return X.triu().add(X.triu(1).transpose(-1, -2));
  }
}
class Scale extends nn.Module {
  forward(X: Tensor): Tensor {
    return X.mul(2);
  }
  rightInverse(X: Tensor): Tensor {
    return X.div(2);
  }
}
class Split extends nn.Module {
  forward(A: Tensor, B: Tensor): Tensor {
    return A.add(B);
  }
  rightInverse(X: Tensor): Tensor[] {
    return [X.mul(0.25), X.mul(0.75)];
  }
}
class Rows extends nn.Module {
  forward(X: Tensor): Tensor {
    return X.index(':2');
  }
}
class ToDouble extends nn.Module {
  forward(X: Tensor): Tensor {
    return X.double();
  }
}
class Bad extends nn.Module {
  forward(_X: Tensor): any {
    return 3;
  }
}

const PY_CLASSES = `
from torch import nn
from torch.nn.utils import parametrize, parametrizations
class Sym(nn.Module):
    def forward(self, X): return X.triu() + X.triu(1).transpose(-1, -2)
class Scale(nn.Module):
    def forward(self, X): return 2 * X
    def right_inverse(self, X): return X / 2
class Split(nn.Module):
    def forward(self, A, B): return A + B
    def right_inverse(self, X): return [X * 0.25, X * 0.75]
class Rows(nn.Module):
    def forward(self, X): return X[:2]
class ToDouble(nn.Module):
    def forward(self, X): return X.double()
class Bad(nn.Module):
    def forward(self, X): return 3
def assign(m, name, v): setattr(m, name, v)
`;

type Build = 'sq' | 'linear' | 'nobias' | 'lin44' | 'lin35' | 'conv' | 'convt' | 'bn';
const BUILDS: Record<Build, [string, () => any, string, () => Tensor]> = {
  sq: ['nn.Linear(3, 3)', () => new nn.Linear(3, 3), 'torch.arange(6.).reshape(2, 3).sin()', () => torch.arange(6, { dtype: torch.float32 }).reshape([2, 3]).sin()],
  linear: ['nn.Linear(6, 4)', () => new nn.Linear(6, 4), 'torch.arange(12.).reshape(2, 6).sin()', () => torch.arange(12, { dtype: torch.float32 }).reshape([2, 6]).sin()],
  nobias: ['nn.Linear(6, 4, bias=False)', () => new nn.Linear(6, 4, false), 'torch.arange(12.).reshape(2, 6).sin()', () => torch.arange(12, { dtype: torch.float32 }).reshape([2, 6]).sin()],
  lin44: ['nn.Linear(4, 4)', () => new nn.Linear(4, 4), 'torch.arange(8.).reshape(2, 4).sin()', () => torch.arange(8, { dtype: torch.float32 }).reshape([2, 4]).sin()],
  lin35: ['nn.Linear(3, 5)', () => new nn.Linear(3, 5), 'torch.arange(6.).reshape(2, 3).cos()', () => torch.arange(6, { dtype: torch.float32 }).reshape([2, 3]).cos()],
  conv: ['nn.Conv2d(3, 4, 3)', () => new nn.Conv2d(3, 4, 3), 'torch.arange(75.).reshape(1, 3, 5, 5).cos()', () => torch.arange(75, { dtype: torch.float32 }).reshape([1, 3, 5, 5]).cos()],
  convt: ['nn.ConvTranspose2d(3, 4, 3)', () => new nn.ConvTranspose2d(3, 4, 3), 'torch.arange(75.).reshape(1, 3, 5, 5).cos()', () => torch.arange(75, { dtype: torch.float32 }).reshape([1, 3, 5, 5]).cos()],
  bn: ['nn.BatchNorm1d(4)', () => new nn.BatchNorm1d(4), 'torch.arange(12.).reshape(3, 4).sin()', () => torch.arange(12, { dtype: torch.float32 }).reshape([3, 4]).sin()],
};

const PY_RECORD = `
def flat(t): return t.detach().reshape(-1).tolist()
def record(m, x):
    r = {}
    r['params'] = [k for k, _ in m.named_parameters()]
    r['buffers'] = [k for k, _ in m.named_buffers()]
    sd = m.state_dict()
    r['keys'] = list(sd.keys())
    r['sd'] = [flat(v) for v in sd.values()]
    r['attrs'] = [[n + '.' + a, flat(getattr(mod, a))] for n, mod in m.named_modules() for a in ('weight', 'bias') if isinstance(getattr(mod, a, None), torch.Tensor)]
    r['repr'] = repr(m)
    r['parametrized'] = parametrize.is_parametrized(m)
    out = m(x)
    r['out'] = flat(out)
    (out ** 2).sum().backward()
    r['grads'] = [flat(p.grad) if p.grad is not None else None for _, p in m.named_parameters()]
    with torch.no_grad():
        for p in m.parameters():
            if p.grad is not None: p -= 0.1 * p.grad
    r['out2'] = flat(m(x))
    r['sd2'] = [flat(v) for v in m.state_dict().values()]
    return r
`;

interface Rec {
  params: string[];
  buffers: string[];
  keys: string[];
  sd: number[][];
  attrs: [string, number[]][];
  repr: string;
  parametrized: boolean;
  out: number[];
  grads: (number[] | null)[];
  out2: number[];
  sd2: number[][];
}

const flat = (t: Tensor): number[] => t.detach().reshape(-1).tolist() as number[];

/** As PY_RECORD, in the same order (a training spectral norm steps its power iteration on each read). */
function record(m: any, x: Tensor): Rec {
  const params = [...m.namedParameters()].map(([k]: [string]) => k);
  const buffers = [...m.namedBuffers()].map(([k]: [string]) => k);
  const sd = m.stateDict();
  const keys = Object.keys(sd);
  const sdValues = Object.values(sd).map((t) => flat(t as Tensor));
  const attrs: [string, number[]][] = [];
  for (const [n, mod] of m.namedModules()) {
    for (const a of ['weight', 'bias']) if (mod[a] instanceof Tensor) attrs.push([`${n}.${a}`, flat(mod[a])]);
  }
  const repr = String(m);
  const parametrized = parametrize.isParametrized(m);
  const out = m(x) as Tensor;
  const r: Rec = { params, buffers, keys, sd: sdValues, attrs, repr, parametrized, out: flat(out), grads: [], out2: [], sd2: [] };
  out.pow(2).sum().backward();
  r.grads = [...m.parameters()].map((p: Tensor) => (p.grad ? flat(p.grad) : null));
  torch.noGrad(() => {
    for (const p of m.parameters() as Iterable<Tensor>) if (p.grad) p.sub_(p.grad.mul(0.1));
  });
  r.out2 = flat(m(x));
  r.sd2 = Object.values(m.stateDict()).map((t) => flat(t as Tensor));
  return r;
}

const close = closeWithin(1e-5);

// [name, build, seed, Python statements on m, the same here, tolerance]
const CASES: [string, Build, number, string, (m: any) => void, number?][] = [
  ['a symmetric parametrization', 'sq', 0, "parametrize.register_parametrization(m, 'weight', Sym())", (m) => parametrize.registerParametrization(m, 'weight', new Sym())],
  ['right_inverse stores weight / 2 in original', 'linear', 1, "parametrize.register_parametrization(m, 'weight', Scale())", (m) => parametrize.registerParametrization(m, 'weight', new Scale())],
  ['two parametrizations on one tensor', 'sq', 2, "parametrize.register_parametrization(m, 'weight', Sym()); parametrize.register_parametrization(m, 'weight', Scale())", (m) => {
    parametrize.registerParametrization(m, 'weight', new Sym());
    parametrize.registerParametrization(m, 'weight', new Scale());
  }],
  ['assigning the parametrized tensor goes through right_inverse', 'linear', 3,
    "parametrize.register_parametrization(m, 'weight', Scale()); m.weight = torch.arange(24.).reshape(4, 6).cos()",
    (m) => {
      parametrize.registerParametrization(m, 'weight', new Scale());
      m.weight = torch.arange(24, { dtype: torch.float32 }).reshape([4, 6]).cos();
    }],
  ['a sequence of originals (original0, original1)', 'linear', 4, "parametrize.register_parametrization(m, 'weight', Split())", (m) => parametrize.registerParametrization(m, 'weight', new Split())],
  ['weight and bias both parametrized', 'linear', 5, "parametrize.register_parametrization(m, 'bias', Scale()); parametrize.register_parametrization(m, 'weight', Scale())", (m) => {
    parametrize.registerParametrization(m, 'bias', new Scale());
    parametrize.registerParametrization(m, 'weight', new Scale());
  }],
  ['a buffer parametrized (original is a buffer)', 'bn', 6, "parametrize.register_parametrization(m, 'running_var', Scale())", (m) => parametrize.registerParametrization(m, 'running_var', new Scale())],
  ['remove_parametrizations, leaving the parametrized value', 'sq', 7, "parametrize.register_parametrization(m, 'weight', Sym()); parametrize.remove_parametrizations(m, 'weight')", (m) => {
    parametrize.registerParametrization(m, 'weight', new Sym());
    parametrize.removeParametrizations(m, 'weight');
  }],
  ['remove_parametrizations, leave_parametrized=False', 'linear', 8,
    "parametrize.register_parametrization(m, 'weight', Scale()); parametrize.register_parametrization(m, 'bias', Scale()); parametrize.remove_parametrizations(m, 'weight', leave_parametrized=False)",
    (m) => {
      parametrize.registerParametrization(m, 'weight', new Scale());
      parametrize.registerParametrization(m, 'bias', new Scale());
      parametrize.removeParametrizations(m, 'weight', { leaveParametrized: false });
    }],
  ['remove_parametrizations of a sequence', 'linear', 9, "parametrize.register_parametrization(m, 'weight', Split()); parametrize.remove_parametrizations(m, 'weight', True)", (m) => {
    parametrize.registerParametrization(m, 'weight', new Split());
    parametrize.removeParametrizations(m, 'weight', true);
  }],
  ['unsafe: a parametrization that changes the shape', 'nobias', 10, "parametrize.register_parametrization(m, 'weight', Rows(), unsafe=True)", (m) => parametrize.registerParametrization(m, 'weight', new Rows(), { unsafe: true })],
  ['orthogonal, square: matrix_exp', 'lin44', 11, 'parametrizations.orthogonal(m)', (m) => parametrizations.orthogonal(m), 1e-4],
  ['orthogonal, wide: householder, completed with randn', 'linear', 12, 'parametrizations.orthogonal(m)', (m) => parametrizations.orthogonal(m), 1e-4],
  ['orthogonal cayley', 'lin44', 13, "parametrizations.orthogonal(m, orthogonal_map='cayley')", (m) => parametrizations.orthogonal(m, { orthogonalMap: 'cayley' }), 1e-4],
  ['orthogonal matrix_exp, tall', 'lin35', 14, "parametrizations.orthogonal(m, 'weight', 'matrix_exp')", (m) => parametrizations.orthogonal(m, 'weight', 'matrix_exp'), 1e-4],
  ['orthogonal householder without trivialization', 'linear', 15, "parametrizations.orthogonal(m, orthogonal_map='householder', use_trivialization=False)", (m) =>
    parametrizations.orthogonal(m, { orthogonalMap: 'householder', useTrivialization: false }), 1e-4],
  ['orthogonal cayley without trivialization', 'lin44', 16, "parametrizations.orthogonal(m, 'weight', 'cayley', use_trivialization=False)", (m) =>
    parametrizations.orthogonal(m, 'weight', 'cayley', { useTrivialization: false }), 1e-4],
  ['parametrizations.spectral_norm Linear', 'linear', 17, 'parametrizations.spectral_norm(m)', (m) => parametrizations.spectralNorm(m)],
  ['parametrizations.spectral_norm Conv2d, 3 iterations', 'conv', 18, "parametrizations.spectral_norm(m, 'weight', 3)", (m) => parametrizations.spectralNorm(m, 'weight', 3)],
  ['parametrizations.spectral_norm ConvTranspose2d (dim 1)', 'convt', 19, 'parametrizations.spectral_norm(m)', (m) => parametrizations.spectralNorm(m)],
  ['parametrizations.spectral_norm of a vector', 'linear', 20, "parametrizations.spectral_norm(m, 'bias', eps=1e-3)", (m) => parametrizations.spectralNorm(m, 'bias', { eps: 1e-3 })],
  ['parametrizations.spectral_norm in eval mode', 'linear', 21, 'parametrizations.spectral_norm(m, dim=1); m.eval()', (m) => {
    parametrizations.spectralNorm(m, { dim: 1 });
    m.eval();
  }],
  ['weight_norm', 'linear', 22, 'nn.utils.weight_norm(m)', (m) => utils.weightNorm(m)],
  ['weight_norm dim=None', 'linear', 23, "nn.utils.weight_norm(m, 'weight', None)", (m) => utils.weightNorm(m, 'weight', null)],
  ['weight_norm Conv2d dim 1, and of the bias', 'conv', 24, "nn.utils.weight_norm(m, dim=1); nn.utils.weight_norm(m, 'bias')", (m) => {
    utils.weightNorm(m, { dim: 1 });
    utils.weightNorm(m, 'bias');
  }],
  ['remove_weight_norm', 'linear', 25, 'nn.utils.weight_norm(m); m(torch.ones(1, 6)); nn.utils.remove_weight_norm(m)', (m) => {
    utils.weightNorm(m);
    m(torch.ones(1, 6));
    utils.removeWeightNorm(m);
  }],
  ['spectral_norm (hooks)', 'linear', 26, 'nn.utils.spectral_norm(m)', (m) => utils.spectralNorm(m)],
  ['spectral_norm (hooks) ConvTranspose2d, 2 iterations', 'convt', 27, "nn.utils.spectral_norm(m, 'weight', 2)", (m) => utils.spectralNorm(m, 'weight', 2)],
  ['spectral_norm (hooks) Conv2d in eval mode', 'conv', 28, 'nn.utils.spectral_norm(m, eps=1e-6); m.eval()', (m) => {
    utils.spectralNorm(m, { eps: 1e-6 });
    m.eval();
  }],
  ['remove_spectral_norm', 'linear', 29, 'nn.utils.spectral_norm(m); m(torch.ones(1, 6)); nn.utils.remove_spectral_norm(m)', (m) => {
    utils.spectralNorm(m);
    m(torch.ones(1, 6));
    utils.removeSpectralNorm(m);
  }],
];

describe('parametrizations equal PyTorch', () => {
  const want = runPython<Rec[]>(`${PY_CLASSES}${PY_RECORD}
result = []
for build, inp, seed, code in ${JSON.stringify(CASES.map((c) => [BUILDS[c[1]][0], BUILDS[c[1]][2], c[2], c[3]]))}:
    torch.manual_seed(seed)
    m = eval(build)
    exec(code)
    result.append(record(m, eval(inp)))
`);
  test.each(CASES.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    const [, build, seed, , run, tol = 1e-5] = CASES[i];
    torch.manualSeed(seed);
    const m = BUILDS[build][1]();
    run(m);
    const got = record(m, BUILDS[build][3]());
    const w = want[i];
    expect(got.params).toEqual(w.params);
    expect(got.buffers).toEqual(w.buffers);
    expect(got.keys).toEqual(w.keys);
    expect(got.repr).toBe(w.repr);
    expect(got.parametrized).toBe(w.parametrized);
    close(got.sd, w.sd, tol);
    expect(got.attrs.map((a) => a[0])).toEqual(w.attrs.map((a) => a[0]));
    close(got.attrs, w.attrs, tol);
    close(got.out, w.out, tol);
    close(got.grads, w.grads, tol * 10);
    close(got.out2, w.out2, tol * 10);
    close(got.sd2, w.sd2, tol * 10);
  });
});

describe('parametrize structure', () => {
  test('the layout: module.parametrizations.weight.original, a property in place of the parameter', () => {
    torch.manualSeed(0);
    const m: any = new nn.Linear(6, 4);
    const w = m.weight;
    parametrize.registerParametrization(m, 'weight', new Scale());
    const list = m.parametrizations.weight;
    expect(list).toBeInstanceOf(parametrize.ParametrizationList);
    expect(list.original).toBe(w); // the same Parameter (set_ in place): optimizers keep working
    expect(list[0]).toBeInstanceOf(Scale);
    expect(Object.keys(m)).not.toContain('weight');
    expect(parametrize.isParametrized(m)).toBe(true);
    expect(parametrize.isParametrized(m, 'weight')).toBe(true);
    expect(parametrize.isParametrized(m, 'bias')).toBe(false);
    expect(parametrize.typeBeforeParametrizations(m)).toBe(nn.Linear);
    expect(m).toBeInstanceOf(nn.Linear);
    expect(m.weight.gradFn).not.toBeNull();
    parametrize.removeParametrizations(m, 'weight');
    expect(parametrize.isParametrized(m)).toBe(false);
    expect(m.parametrizations).toBeUndefined();
    expect(m.weight).toBe(w);
    expect(String(m)).toBe('Linear(in_features=6, out_features=4, bias=True)');
  });

  test('cached(): the parametrization is computed once inside, afresh outside', async () => {
    const m: any = new nn.Linear(3, 3);
    parametrize.registerParametrization(m, 'weight', new Sym());
    expect(m.weight).not.toBe(m.weight);
    parametrize.cached(() => {
      const a = m.weight;
      expect(m.weight).toBe(a);
      parametrize.cached(() => expect(m.weight).toBe(a));
      expect(m.weight).toBe(a);
    });
    expect(m.weight).not.toBe(m.weight);
    await parametrize.cached(async () => {
      const a = m.weight;
      await new Promise((r) => setTimeout(r, 1));
      expect(m.weight).toBe(a);
    });
    {
      using _ = parametrize.cached();
      expect(m.weight).toBe(m.weight);
    }
    expect(m.weight).not.toBe(m.weight);
  });

  test('an orthogonal weight stays orthogonal through training and assignment', () => {
    torch.manualSeed(0);
    const m: any = new nn.Linear(5, 3);
    parametrizations.orthogonal(m);
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.1 });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      m(torch.randn(4, 5)).pow(2).sum().backward();
      opt.step();
    }
    const eye = torch.eye(3);
    expect(m.weight.matmul(m.weight.t()).allclose(eye, { atol: 1e-5 })).toBe(true);
    const Q = torch.linalg.qr(torch.randn(5, 3))[0].t();
    m.weight = Q;
    expect(m.weight.allclose(Q, { atol: 1e-5 })).toBe(true);
  });

  test('transferParametrizationsAndParams: the same parametrizations and original tensors, as Python', () => {
    const want = runPython<{ keys: string[]; w: number[]; same: boolean; repr: string }>(`${PY_CLASSES}
torch.manual_seed(0)
a = nn.Linear(6, 4)
parametrize.register_parametrization(a, 'weight', Scale())
parametrize.register_parametrization(a, 'bias', Split())
b = nn.Linear(6, 4)
parametrize.transfer_parametrizations_and_params(a, b)
result = {'keys': list(b.state_dict().keys()), 'w': b.weight.reshape(-1).tolist() + b.bias.tolist(),
          'same': b.parametrizations.weight.original is a.parametrizations.weight.original, 'repr': repr(b)}
`);
    torch.manualSeed(0);
    const a: any = new nn.Linear(6, 4);
    parametrize.registerParametrization(a, 'weight', new Scale());
    parametrize.registerParametrization(a, 'bias', new Split());
    const b: any = new nn.Linear(6, 4);
    parametrize.transferParametrizationsAndParams(a, b);
    expect(Object.keys(b.stateDict())).toEqual(want.keys);
    close([...flat(b.weight), ...flat(b.bias)], want.w);
    expect(b.parametrizations.weight.original === a.parametrizations.weight.original).toBe(want.same);
    expect(String(b)).toBe(want.repr);
  });

  test('deepcopy of a parametrized module keeps its own parametrization', () => {
    torch.manualSeed(0);
    const m: any = new nn.Linear(6, 4);
    parametrize.registerParametrization(m, 'weight', new Scale());
    const c: any = nn.deepcopy(m);
    expect(String(c)).toBe(String(m));
    torch.noGrad(() => c.parametrizations.weight.original.zero_());
    expect(c.weight.abs().sum().item()).toBe(0);
    expect(m.weight.abs().sum().item()).toBeGreaterThan(0);
  });
});

describe('state_dicts across languages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-parametrize-'));
  const files = { sn: path.join(dir, 'sn.pt'), orth: path.join(dir, 'orth.pt'), wn: path.join(dir, 'wn.pt'), old: path.join(dir, 'old.pt') };
  const want = runPython<Record<string, number[]>>(`${PY_CLASSES}
x = torch.arange(12.).reshape(2, 6).sin()
result = {}
torch.manual_seed(3)
m = parametrizations.spectral_norm(nn.Linear(6, 4)); m(x); m(x); m.eval()
torch.save(m.state_dict(), ${JSON.stringify(files.sn)}); result['sn'] = m(x).reshape(-1).tolist()
m = parametrizations.orthogonal(nn.Linear(6, 4))
torch.save(m.state_dict(), ${JSON.stringify(files.orth)}); result['orth'] = m(x).reshape(-1).tolist()
m = nn.utils.weight_norm(nn.Linear(6, 4))
torch.save(m.state_dict(), ${JSON.stringify(files.wn)}); result['wn'] = m(x).reshape(-1).tolist()
m = nn.utils.spectral_norm(nn.Linear(6, 4)); m(x); m.eval()
torch.save(m.state_dict(), ${JSON.stringify(files.old)}); result['old'] = m(x).reshape(-1).tolist()
`);
  const x = () => torch.arange(12, { dtype: torch.float32 }).reshape([2, 6]).sin();
  const CASES: [keyof typeof files, () => any][] = [
    ['sn', () => parametrizations.spectralNorm(new nn.Linear(6, 4)).eval()],
    ['orth', () => parametrizations.orthogonal(new nn.Linear(6, 4))],
    ['wn', () => utils.weightNorm(new nn.Linear(6, 4))],
    ['old', () => utils.spectralNorm(new nn.Linear(6, 4)).eval()],
  ];
  test.each(CASES.map((c) => [c[0]] as const))('%s: a Python-saved state_dict loads, with Python forward', async (key) => {
    torch.manualSeed(77);
    const m = CASES.find((c) => c[0] === key)![1]();
    const sd = (await torch.load(files[key])) as Record<string, Tensor>;
    expect(Object.keys(sd)).toEqual(Object.keys(m.stateDict()));
    const r = m.loadStateDict(sd);
    expect(r.missingKeys).toEqual([]);
    close(flat(m(x())), want[key], 1e-5);
  });
});

describe("errors: TorchError with PyTorch's text", () => {
  const lin = (): any => new nn.Linear(6, 4);
  const withParam = (p: nn.Module, m: any = lin()): any => parametrize.registerParametrization(m, 'weight', p);
  const CASES: [string, () => unknown][] = [
    ["parametrize.register_parametrization(nn.Linear(6, 4), 'foo', Scale())", () => parametrize.registerParametrization(lin(), 'foo', new Scale())],
    ["parametrize.register_parametrization(nn.Linear(6, 4), 'weight', ToDouble())", () => withParam(new ToDouble())],
    ["parametrize.register_parametrization(nn.Linear(6, 4), 'weight', Rows())", () => withParam(new Rows())],
    ["parametrize.register_parametrization(nn.Linear(6, 4), 'weight', Bad())", () => withParam(new Bad())],
    ["parametrize.register_parametrization(parametrize.register_parametrization(nn.Linear(6, 4), 'weight', Scale()), 'weight', Rows())", () => withParam(new Rows(), withParam(new Scale()))],
    ["parametrize.register_parametrization(parametrize.register_parametrization(nn.Linear(6, 4), 'weight', Scale()), 'weight', ToDouble())", () => withParam(new ToDouble(), withParam(new Scale()))],
    ["parametrize.remove_parametrizations(nn.Linear(6, 4), 'weight')", () => parametrize.removeParametrizations(lin(), 'weight')],
    ["parametrize.remove_parametrizations(parametrize.register_parametrization(nn.Linear(6, 4), 'weight', Split()), 'weight', False)", () => parametrize.removeParametrizations(withParam(new Split()), 'weight', false)],
    ["assign(parametrize.register_parametrization(nn.Linear(3, 3), 'weight', Sym()), 'weight', torch.ones(3, 3))", () => {
      withParam(new Sym(), new nn.Linear(3, 3)).weight = torch.ones(3, 3);
    }],
    ["assign(parametrizations.orthogonal(nn.Linear(3, 3), 'weight', 'cayley', use_trivialization=False), 'weight', torch.eye(3))", () => {
      (parametrizations.orthogonal(new nn.Linear(3, 3), 'weight', 'cayley', { useTrivialization: false }) as any).weight = torch.eye(3);
    }],
    ["assign(parametrizations.orthogonal(nn.Linear(3, 3)), 'weight', torch.eye(2))", () => {
      (parametrizations.orthogonal(new nn.Linear(3, 3)) as any).weight = torch.eye(2);
    }],
    ["parametrizations.orthogonal(nn.Linear(6, 4), 'bias')", () => parametrizations.orthogonal(lin(), 'bias')],
    ["parametrizations.orthogonal(nn.Linear(6, 4), 'foo')", () => parametrizations.orthogonal(lin(), 'foo')],
    ["parametrizations.orthogonal(nn.Linear(6, 4), orthogonal_map='qr')", () => parametrizations.orthogonal(lin(), { orthogonalMap: 'qr' as any })],
    ["parametrizations.spectral_norm(nn.Linear(6, 4), n_power_iterations=0)", () => parametrizations.spectralNorm(lin(), { nPowerIterations: 0 })],
    ["parametrizations.spectral_norm(nn.Linear(6, 4), dim=2)", () => parametrizations.spectralNorm(lin(), { dim: 2 })],
    ["parametrizations.spectral_norm(nn.Linear(6, 4), 'foo')", () => parametrizations.spectralNorm(lin(), 'foo')],
    ['nn.utils.weight_norm(nn.utils.weight_norm(nn.Linear(6, 4)))', () => utils.weightNorm(utils.weightNorm(lin()))],
    ["nn.utils.weight_norm(nn.Linear(6, 4), 'foo')", () => utils.weightNorm(lin(), 'foo')],
    ['nn.utils.remove_weight_norm(nn.Linear(6, 4))', () => utils.removeWeightNorm(lin())],
    ['nn.utils.spectral_norm(nn.utils.spectral_norm(nn.Linear(6, 4)))', () => utils.spectralNorm(utils.spectralNorm(lin()))],
    ["nn.utils.spectral_norm(nn.Linear(6, 4, bias=False), 'bias')", () => utils.spectralNorm(new nn.Linear(6, 4, false), 'bias')],
    ["nn.utils.spectral_norm(nn.Linear(6, 4), 'foo')", () => utils.spectralNorm(lin(), 'foo')],
    ['nn.utils.spectral_norm(nn.Linear(6, 4), n_power_iterations=0)', () => utils.spectralNorm(lin(), { nPowerIterations: 0 })],
    ["nn.utils.remove_spectral_norm(nn.Linear(6, 4), 'weight')", () => utils.removeSpectralNorm(lin(), 'weight')],
  ];
  const expected = pythonErrors(
    CASES.map((c) => c[0]),
    { prelude: PY_CLASSES },
  );
  test.each(CASES.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    expect(expected[i]).not.toBe('no error');
    expect(CASES[i][1]).toThrow(torch.TorchError);
    expect(message(CASES[i][1])).toBe(expected[i]);
  });

  test('registration arguments are checked as Python binds them', () => {
    expect(message(() => parametrize.registerParametrization(lin(), 'weight', new Scale(), { unsafe: true, safe: 1 } as any))).toBe(
      "registerParametrization() got an unexpected keyword argument 'safe'",
    );
  });
});
