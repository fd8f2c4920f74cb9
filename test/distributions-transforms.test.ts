// torch.distributions.transforms and constraint_registry against PyTorch 1.13, in float64 and
// float32: values, inverses, log |det J| and their gradients, shapes, reprs, domains, caching
// (the cached inverse is the very x), equality; biject_to / transform_to for each constraint; and
// the tanh-squashed Gaussian policy of RL code, seeded, with its gradients through nn.Linear.
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';
import { DistributionCase, describeDistributionCases } from './helpers/distribution-oracle';

const D = torch.distributions;
const T = D.transforms;
type Transform = InstanceType<typeof T.Transform>;
type DType = typeof torch.float64;

/** Relative tolerance by dtype: float64 math in another order, float32 kernels. */
const TOL: Record<string, number> = { float64: 1e-10, float32: 1e-6 };
const close = closeWithin(1e-10);

const PY_HELPERS = `
import math
D = torch.distributions
T = D.transforms
def clean(x):
    if isinstance(x, list): return [clean(v) for v in x]
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)): return str(x)
    return x
def out(t): return None if t is None else clean(t.detach().tolist())
def weight(t): return torch.arange(t.numel(), dtype=t.dtype).reshape(t.shape) * 0.25 + 1
def grad_of(y, x):
    if not y.requires_grad: return 'nograd'
    g, = torch.autograd.grad((y * weight(y)).sum(), [x], allow_unused=True, retain_graph=True)
    return out(g)
def attempt(f):
    try: return f()
    except NotImplementedError: return 'NotImplemented'
    except ValueError as e: return 'ValueError: ' + str(e)
def sign(t):
    s = attempt(lambda: t.sign)
    return out(s) if isinstance(s, torch.Tensor) else s
`;

const weight = (t: torch.Tensor) => torch.arange(t.numel(), { dtype: t.dtype }).reshape(t.shape).mul(0.25).add(1);
function gradOf(y: torch.Tensor, x: torch.Tensor): unknown {
  if (!y.requiresGrad) return 'nograd';
  const [g] = torch.autograd.grad([y.mul(weight(y)).sum()], [x], { allowUnused: true, retainGraph: true });
  return out(g);
}
function attempt<R>(f: () => R): R | string {
  try {
    return f();
  } catch (e) {
    const err = e as Error;
    if (err.name === 'NotImplementedError') return 'NotImplemented';
    if (err.name === 'ValueError') return `ValueError: ${err.message}`;
    throw e;
  }
}
const signOf = (t: Transform) => {
  const s = attempt(() => t.sign);
  return s instanceof torch.Tensor ? out(s) : s;
};

// [Python expression (dt: the dtype), ours, input fit for the domain]
type Case = [py: string, js: (dt: DType) => Transform, x: unknown];
const X = [[0.3, -1.2, 2], [0.5, 0.1, -0.4]];
const POS = [[0.3, 1.2, 2], [0.5, 0.1, 4]];
const CASES: Case[] = [
  ['T.ExpTransform()', () => new T.ExpTransform(), X],
  ['T.PowerTransform(2.5)', () => new T.PowerTransform(2.5), POS],
  ['T.SigmoidTransform()', () => new T.SigmoidTransform(), X],
  ['T.SoftplusTransform()', () => new T.SoftplusTransform(), [[0.3, -1.2, 25], [0.5, 0.1, -30]]],
  ['T.TanhTransform()', () => new T.TanhTransform(), X],
  ['T.AbsTransform()', () => new T.AbsTransform(), X],
  ['T.AffineTransform(1.5, -2.)', () => new T.AffineTransform(1.5, -2), X],
  ['T.AffineTransform(torch.tensor([1., 2., 3.], dtype=dt), torch.tensor([0.5, -2., 3.], dtype=dt), event_dim=1)', (dt) => new T.AffineTransform(torch.tensor([1, 2, 3], { dtype: dt }), torch.tensor([0.5, -2, 3], { dtype: dt }), { eventDim: 1 }), X],
  ['T.ComposeTransform([T.ExpTransform(), T.AffineTransform(1., 2.)])', () => new T.ComposeTransform([new T.ExpTransform(), new T.AffineTransform(1, 2)]), X],
  ['T.ComposeTransform([T.StickBreakingTransform(), T.AffineTransform(0., 3.)])', () => new T.ComposeTransform([new T.StickBreakingTransform(), new T.AffineTransform(0, 3)]), X],
  ['T.ComposeTransform([T.AffineTransform(0., 2.), T.SigmoidTransform(), T.AffineTransform(-1., 2.)]).inv', () => new T.ComposeTransform([new T.AffineTransform(0, 2), new T.SigmoidTransform(), new T.AffineTransform(-1, 2)]).inv, [[0.3, -0.9, 0.2], [0.5, 0.1, -0.4]]],
  ['T.identity_transform', () => T.identityTransform, X],
  ['T.IndependentTransform(T.SigmoidTransform(), 1)', () => new T.IndependentTransform(new T.SigmoidTransform(), 1), X],
  ['T.ReshapeTransform((3,), (3, 1))', () => new T.ReshapeTransform([3], [3, 1]), X],
  ['T.SoftmaxTransform()', () => new T.SoftmaxTransform(), X],
  ['T.StickBreakingTransform()', () => new T.StickBreakingTransform(), X],
  ['T.LowerCholeskyTransform()', () => new T.LowerCholeskyTransform(), [[[0.3, -1.2, 2], [0.5, 0.1, -0.4], [1, 2, 3]]]],
  ['T.CorrCholeskyTransform()', () => new T.CorrCholeskyTransform(), X],
  ['T.CatTransform([T.ExpTransform(), T.identity_transform, T.TanhTransform()], dim=1, lengths=[1, 1, 1])', () => new T.CatTransform([new T.ExpTransform(), T.identityTransform, new T.TanhTransform()], { dim: 1, lengths: [1, 1, 1] }), X],
  ['T.CatTransform([T.ExpTransform(), T.SigmoidTransform()], 0, [1, 1])', () => new T.CatTransform([new T.ExpTransform(), new T.SigmoidTransform()], 0, [1, 1]), X],
  ['T.StackTransform([T.ExpTransform(), T.SoftplusTransform(), T.TanhTransform()], dim=1)', () => new T.StackTransform([new T.ExpTransform(), new T.SoftplusTransform(), new T.TanhTransform()], { dim: 1 }), X],
  ['T.CumulativeDistributionTransform(D.Normal(torch.tensor(0.5, dtype=dt), torch.tensor(2., dtype=dt)))', (dt) => new T.CumulativeDistributionTransform(new D.Normal(torch.tensor(0.5, { dtype: dt }), torch.tensor(2, { dtype: dt }))), X],
  ['T.TanhTransform().inv', () => new T.TanhTransform().inv, [[0.3, -0.9, 0.2], [0.5, 0.1, -0.4]]],
];

interface Got {
  y: unknown; yGrad: unknown; inv: unknown; invGrad: unknown; ladj: unknown; ladjGrad: unknown; fwd: unknown; invShape: unknown;
  repr: string; domain: string; codomain: string; bijective: boolean; sign: unknown; eventDim: unknown; domainEventDim: number; codomainEventDim: number;
}

function describeTransforms(dtypeName: 'float64' | 'float32'): void {
  const dt = torch[dtypeName];
  const want = runPython<Got[]>(`${PY_HELPERS}
dt = torch.${dtypeName}
result = []
for code, v in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([py, , v]) => [py, v])))}):
    t = eval(code, {'T': T, 'D': D, 'torch': torch, 'dt': dt})
    x = torch.tensor(v, dtype=dt, requires_grad=True)
    y = t(x)
    y0 = y.detach().requires_grad_()
    xi = eval(code, {'T': T, 'D': D, 'torch': torch, 'dt': dt}).inv(y0)
    ladj = attempt(lambda: t.log_abs_det_jacobian(x, y))
    result.append({'y': out(y), 'yGrad': grad_of(y, x), 'inv': out(xi), 'invGrad': grad_of(xi, y0),
        'ladj': ladj if isinstance(ladj, str) else out(ladj), 'ladjGrad': ladj if isinstance(ladj, str) else grad_of(ladj, x),
        'fwd': attempt(lambda: list(t.forward_shape(x.shape))), 'invShape': attempt(lambda: list(t.inverse_shape(y.shape))),
        'repr': repr(t), 'domain': repr(t.domain), 'codomain': repr(t.codomain), 'bijective': bool(t.bijective), 'sign': sign(t),
        'eventDim': attempt(lambda: t.event_dim), 'domainEventDim': t.domain.event_dim, 'codomainEventDim': t.codomain.event_dim})
`);

  describe(`transforms equal PyTorch in ${dtypeName} (values, inverse, log |det J|, their gradients, shapes, reprs)`, () => {
    test.each(CASES.map((c, i) => [c[0], c, i] as const))('%s', (_n, [, js, v], i) => {
      const w = want[i];
      const tol = TOL[dtypeName];
      const t = js(dt);
      expect(typeof t).toBe('function');
      const x = torch.tensor(v as number[], { dtype: dt, requiresGrad: true });
      const y = t(x);
      close(out(y), w.y, tol, 'y');
      close(gradOf(y, x), w.yGrad, tol, 'dy/dx');
      const y0 = y.detach().requiresGrad_();
      const xi = js(dt).inv(y0);
      close(out(xi), w.inv, tol, 'inv');
      close(gradOf(xi, y0), w.invGrad, tol, 'dinv/dy');
      const ladj = attempt(() => t.logAbsDetJacobian(x, y));
      close(typeof ladj === 'string' ? ladj : out(ladj), w.ladj, tol, 'ladj');
      close(typeof ladj === 'string' ? ladj : gradOf(ladj, x), w.ladjGrad, tol, 'dladj/dx');
      expect(attempt(() => t.forwardShape(x.shape))).toEqual(w.fwd);
      expect(attempt(() => t.inverseShape(y.shape))).toEqual(w.invShape);
      expect(String(t)).toBe(w.repr);
      expect([String(t.domain), String(t.codomain), t.domain.eventDim, t.codomain.eventDim]).toEqual([w.domain, w.codomain, w.domainEventDim, w.codomainEventDim]);
      expect(t.bijective).toBe(w.bijective);
      close(signOf(t), w.sign, tol, 'sign');
      expect(attempt(() => t.eventDim)).toEqual(w.eventDim);
    });
  });
}

describeTransforms('float64');
describeTransforms('float32');

describe('caching, inverse objects, withCache and equality as in PyTorch', () => {
  const want = runPython<{ eq: boolean[]; cacheError: string; boundary: unknown[]; reprs: string[]; user: unknown[] }>(`${PY_HELPERS}
pairs = [(T.ExpTransform(), T.ExpTransform()), (T.ExpTransform(), T.SigmoidTransform()),
  (T.AffineTransform(1., 2.), T.AffineTransform(1., 2.)), (T.AffineTransform(1., 2.), T.AffineTransform(1., 3.)),
  (T.AffineTransform(torch.tensor([1., 2.]), 2.), T.AffineTransform(torch.tensor([1., 2.]), 2.)),
  (T.ExpTransform().inv, T.ExpTransform().inv), (T.ExpTransform().inv, T.ExpTransform()),
  (T.ComposeTransform([T.ExpTransform(), T.TanhTransform()]), T.ComposeTransform([T.ExpTransform(), T.TanhTransform()])),
  (T.ComposeTransform([T.ExpTransform()]), T.ComposeTransform([T.TanhTransform()])),
  (T.CorrCholeskyTransform(), T.CorrCholeskyTransform()), (T.PowerTransform(2.), T.PowerTransform(2.))]
eq = [a == b for a, b in pairs] + [a != b for a, b in pairs]
try:
    T.TanhTransform(cache_size=2); cache_error = 'none'
except ValueError as e:
    cache_error = str(e)
# a sample at tanh's boundary: only the cached inverse scores it
boundary = []
for cache in [0, 1]:
    d = D.TransformedDistribution(D.Normal(torch.tensor([0., 3.]), torch.tensor([1., 1.])), [T.TanhTransform(cache_size=cache)])
    x = torch.tensor([20., 0.5])
    y = d.transforms[0](x)
    boundary.append(out(d.log_prob(y)))
reprs = [repr(T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0., 1.)])), repr(T.ComposeTransform([])), repr(T.ExpTransform().inv),
  repr(T.IndependentTransform(T.ExpTransform().inv, 2)), repr(T.TanhTransform().with_cache(1))]
class CubeTransform(T.Transform):
    domain = D.constraints.real
    codomain = D.constraints.real
    bijective = True
    def _call(self, x): return x.pow(3)
    def _inverse(self, y): return y.sign() * y.abs().pow(1 / 3)
    def log_abs_det_jacobian(self, x, y): return (3 * x.pow(2)).log()
t = CubeTransform().with_cache()
d = D.TransformedDistribution(D.Normal(torch.tensor([0.5, -1], dtype=torch.float64), 2.), [t])
user = [repr(t), out(d.log_prob(torch.tensor([[2, -0.5], [0.1, 8]], dtype=torch.float64)))]
result = {'eq': eq, 'cacheError': cache_error, 'boundary': boundary, 'reprs': reprs, 'user': user}
`);

  test('a transform with cacheSize 1 returns the cached tensors themselves (Python\'s `is`)', () => {
    const x = torch.randn(3);
    const t = new T.TanhTransform({ cacheSize: 1 });
    const y = t(x);
    expect(t(x)).toBe(y);
    expect(t.inv(y)).toBe(x);
    expect(t.call(x)).toBe(y);
    const u = new T.TanhTransform();
    expect(u.inv(u(x))).not.toBe(x);
    // the inverse shares its transform's cache
    const v = new T.ExpTransform(1);
    const z = torch.rand(2);
    const lz = v.inv(z);
    expect(v(lz)).toBe(z);
  });

  test('inv is a callable Transform made once, with inv.inv the transform itself', () => {
    const t = new T.SigmoidTransform();
    expect(t.inv).toBe(t.inv);
    expect(t.inv.inv).toBe(t);
    expect(t.inv).toBeInstanceOf(T.Transform);
    const c = new T.ComposeTransform([new T.ExpTransform(), new T.AffineTransform(1, 2)]);
    expect(c.inv.inv).toBe(c);
    expect(c.inv).toBeInstanceOf(T.ComposeTransform);
    const x = torch.tensor([0.5, 1.5], { dtype: torch.float64 });
    close(out(c.inv.logAbsDetJacobian(c(x), x)), out(c.logAbsDetJacobian(x, c(x)).neg()));
  });

  test('withCache', () => {
    const t = new T.TanhTransform();
    expect(t.withCache(0)).toBe(t);
    const c = t.withCache();
    expect(c).toBeInstanceOf(T.TanhTransform);
    expect(c._cacheSize).toBe(1);
    expect(c.withCache(1)).toBe(c);
    const a = new T.AffineTransform(1, 2, { eventDim: 1 }).withCache(1) as InstanceType<typeof T.AffineTransform>;
    expect([a.loc, a.scale, a.eventDim, a._cacheSize]).toEqual([1, 2, 1, 1]);
    const comp = new T.ComposeTransform([new T.ExpTransform(), new T.TanhTransform()], { cacheSize: 1 });
    expect(comp.parts.map((p) => p._cacheSize)).toEqual([1, 1]);
    expect(new T.ExpTransform().inv.withCache(1).inv._cacheSize).toBe(1);
    expect(String(c)).toBe(want.reprs[4]);
  });

  test('cacheSize other than 0 or 1 raises Python\'s ValueError', () => {
    expect(() => new T.TanhTransform({ cacheSize: 2 })).toThrow(D.ValueError);
    expect(() => new T.TanhTransform(2)).toThrow(want.cacheError);
  });

  test('equals / notEquals are Python\'s == / !=', () => {
    const pairs: [Transform, Transform][] = [
      [new T.ExpTransform(), new T.ExpTransform()], [new T.ExpTransform(), new T.SigmoidTransform()],
      [new T.AffineTransform(1, 2), new T.AffineTransform(1, 2)], [new T.AffineTransform(1, 2), new T.AffineTransform(1, 3)],
      [new T.AffineTransform(torch.tensor([1, 2]), 2), new T.AffineTransform(torch.tensor([1, 2]), 2)],
      [new T.ExpTransform().inv, new T.ExpTransform().inv], [new T.ExpTransform().inv, new T.ExpTransform()],
      [new T.ComposeTransform([new T.ExpTransform(), new T.TanhTransform()]), new T.ComposeTransform([new T.ExpTransform(), new T.TanhTransform()])],
      [new T.ComposeTransform([new T.ExpTransform()]), new T.ComposeTransform([new T.TanhTransform()])],
      [new T.CorrCholeskyTransform(), new T.CorrCholeskyTransform()], [new T.PowerTransform(2), new T.PowerTransform(2)],
    ];
    expect([...pairs.map(([a, b]) => a.equals(b)), ...pairs.map(([a, b]) => a.notEquals(b))]).toEqual(want.eq);
  });

  test('TanhTransform(cacheSize 1) scores its own sample at the boundary (uncached: inf, as Python)', () => {
    const got = [0, 1].map((cacheSize) => {
      const d = new D.TransformedDistribution(new D.Normal(torch.tensor([0, 3]), torch.tensor([1, 1])), [new T.TanhTransform({ cacheSize })]);
      const y = d.transforms[0](torch.tensor([20, 0.5]));
      return out(d.logProb(y));
    });
    closeWithin(1e-6)(got, want.boundary);
  });

  test('a user subclass (Python\'s _call, _inverse, log_abs_det_jacobian) in a TransformedDistribution', () => {
    class CubeTransform extends T.Transform {
      get domain() {
        return D.constraints.real;
      }
      get codomain() {
        return D.constraints.real;
      }
      get bijective() {
        return true;
      }
      _call(x: torch.Tensor) {
        return x.pow(3);
      }
      _inverse(y: torch.Tensor) {
        return y.sign().mul(y.abs().pow(1 / 3));
      }
      logAbsDetJacobian(x: torch.Tensor) {
        return x.pow(2).mul(3).log();
      }
    }
    const t = new CubeTransform().withCache();
    expect(t).toBeInstanceOf(CubeTransform);
    const d = new D.TransformedDistribution(new D.Normal(torch.tensor([0.5, -1], { dtype: torch.float64 }), 2), [t]);
    const y = torch.tensor([[2, -0.5], [0.1, 8]], { dtype: torch.float64 });
    close([String(t), out(d.logProb(y))], want.user);
  });

  test('reprs', () => {
    expect([
      String(new T.ComposeTransform([new T.ExpTransform(), new T.AffineTransform(0, 1)])), String(new T.ComposeTransform([])),
      String(new T.ExpTransform().inv), String(new T.IndependentTransform(new T.ExpTransform().inv, 2)),
    ]).toEqual(want.reprs.slice(0, 4));
  });
});

// TransformedDistributions over the new transforms, through the distributions' oracle (seeded
// samples, rsample, logProb, cdf/icdf and their gradients, shapes, support, expand).
const TD_CASES: DistributionCase[] = [
  { name: 'tanh-squashed Normal', params: { loc: [0.5, -1, 2], scale: [1, 0.5, 3] }, py: 'D.TransformedDistribution(D.Normal(loc, scale), [D.transforms.TanhTransform()])', js: (p) => new D.TransformedDistribution(new D.Normal(p.loc, p.scale), [new T.TanhTransform()]), shape: [4], icdf: [0.1, 0.5, 0.9] },
  { name: 'ComposeTransform of affine, sigmoid, decreasing affine', params: { loc: [0.5, -1], scale: [1, 0.5] }, py: 'D.TransformedDistribution(D.Normal(loc, scale), D.transforms.ComposeTransform([D.transforms.AffineTransform(1., 2.), D.transforms.SigmoidTransform(), D.transforms.AffineTransform(3., -2.)]))', js: (p) => new D.TransformedDistribution(new D.Normal(p.loc, p.scale), new T.ComposeTransform([new T.AffineTransform(1, 2), new T.SigmoidTransform(), new T.AffineTransform(3, -2)])), shape: [3], icdf: [0.2, 0.7] },
  { name: 'IndependentTransform of softplus', params: { loc: [[0.5, -1, 2], [0, 1, -3]], scale: [1, 0.5, 3] }, py: 'D.TransformedDistribution(D.Normal(loc, scale), [D.transforms.IndependentTransform(D.transforms.SoftplusTransform(), 1)])', js: (p) => new D.TransformedDistribution(new D.Normal(p.loc, p.scale), [new T.IndependentTransform(new T.SoftplusTransform(), 1)]), shape: [2] },
  { name: 'CorrCholeskyTransform of a Normal vector', params: { loc: [0.5, -1, 2], scale: [1, 0.5, 3] }, py: 'D.TransformedDistribution(D.Normal(loc, scale), [D.transforms.CorrCholeskyTransform()])', js: (p) => new D.TransformedDistribution(new D.Normal(p.loc, p.scale), [new T.CorrCholeskyTransform()]), shape: [2] },
  { name: 'ReshapeTransform then StickBreaking', params: { loc: [[0.5, -1, 2, 0], [1, 1, 0, -2]], scale: [1, 0.5, 3, 2] }, py: 'D.TransformedDistribution(D.Independent(D.Normal(loc, scale), 1), [D.transforms.ReshapeTransform((4,), (2, 2)), D.transforms.StickBreakingTransform()])', js: (p) => new D.TransformedDistribution(new D.Independent(new D.Normal(p.loc, p.scale), 1), [new T.ReshapeTransform([4], [2, 2]), new T.StickBreakingTransform()]), shape: [3] },
  { name: 'Gaussian copula (CumulativeDistributionTransform)', params: { loc: [0.5, -1], scale: [[1, 0], [0.4, 0.8]] }, py: 'D.TransformedDistribution(D.MultivariateNormal(loc, scale_tril=scale), [D.transforms.CumulativeDistributionTransform(D.Normal(0., 1.))])', js: (p) => new D.TransformedDistribution(new D.MultivariateNormal(p.loc, { scaleTril: p.scale }), [new T.CumulativeDistributionTransform(new D.Normal(0, 1))]), shape: [3] },
];
describeDistributionCases(TD_CASES);

describe('the constraints 1.13 adds for transforms (check, repr, eventDim, isDiscrete) and callable dependent', () => {
  const C = D.constraints;
  const V = [[[1, 0], [0.6, 0.8]], [[1, 0], [0.6, 0.7]], [[1, 0.1], [0, 1]]];
  const CASES: [string, () => InstanceType<typeof C.Constraint>, unknown][] = [
    ['C.corr_cholesky', () => C.corrCholesky, V],
    ['C.cat([C.positive, C.unit_interval], 1, [1, 1])', () => C.cat([C.positive, C.unitInterval], 1, [1, 1]), [[2, 0.5], [-1, 0.3], [3, 1.5]]],
    ['C.cat([C.nonnegative_integer, C.positive], -1, [1, 2])', () => C.cat([C.nonnegativeInteger, C.positive], -1, [1, 2]), [[2, 0.5, 0.5], [1.5, 0.3, 0.7]]],
    ['C.stack([C.positive, C.real], 1)', () => C.stack([C.positive, C.real], 1), [[2, -0.5], [-1, 0.3]]],
    ['C.stack([C.simplex, C.simplex], 0)', () => C.stack([C.simplex, C.simplex], 0), [[[0.5, 0.5], [0.2, 0.8]], [[0.1, 0.3], [1, 0]]]],
    ['C.dependent(is_discrete=True, event_dim=1)', () => C.dependent({ isDiscrete: true, eventDim: 1 }), null],
    ['C.dependent(is_discrete=True)(event_dim=2)', () => C.dependent({ isDiscrete: true })({ eventDim: 2 }), null],
  ];
  const want = runPython<unknown[][]>(`
C = torch.distributions.constraints
result = []
for code, v in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([py, , v]) => [py, v])))}):
    c = eval(code, {'C': C})
    check = c.check(torch.tensor(v, dtype=torch.float64)).tolist() if v is not None else None
    result.append([repr(c), c.event_dim, c.is_discrete, C.is_dependent(c), check])
`);
  test.each(CASES.map((c, i) => [c[0], c, i] as const))('%s', (_n, [, js, v], i) => {
    const c = js();
    const check = v === null ? null : out(c.check(torch.tensor(v as number[], { dtype: torch.float64 })));
    expect([String(c), c.eventDim, c.isDiscrete, C.isDependent(c), check]).toEqual(want[i]);
  });
});

describe('errors as PyTorch\'s (class and message)', () => {
  const ERRORS: [py: string, js: () => unknown][] = [
    ['T.ReshapeTransform((2, 3), (4,))', () => new T.ReshapeTransform([2, 3], [4])],
    ['D.TransformedDistribution(D.Normal(torch.zeros(5, 3, 2), 1.), [T.ReshapeTransform((2, 3), (3, 2))])', () => new D.TransformedDistribution(new D.Normal(torch.zeros(5, 3, 2), 1), [new T.ReshapeTransform([2, 3], [3, 2])])],
    ['T.ReshapeTransform((2, 3), (6,)).inverse_shape(())', () => new T.ReshapeTransform([2, 3], [6]).inverseShape([])],
    ['T.CorrCholeskyTransform().forward_shape((2, 4))', () => new T.CorrCholeskyTransform().forwardShape([2, 4])],
    ['T.CorrCholeskyTransform().inverse_shape((3, 2))', () => new T.CorrCholeskyTransform().inverseShape([3, 2])],
    ['T.StickBreakingTransform().forward_shape(())', () => new T.StickBreakingTransform().forwardShape([])],
    ['T.CorrCholeskyTransform().event_dim', () => new T.CorrCholeskyTransform().eventDim],
    ['T.IndependentTransform(T.ExpTransform(), 2)(torch.ones(3))', () => new T.IndependentTransform(new T.ExpTransform(), 2)(torch.ones(3))],
    ['T.ExpTransform().sign * T.AbsTransform().sign', () => new T.AbsTransform().sign],
    ['D.biject_to(D.constraints.lower_cholesky)', () => D.bijectTo(D.constraints.lowerCholesky)],
    ['D.transform_to(D.constraints.positive_definite)', () => D.transformTo(D.constraints.positiveDefinite)],
  ];
  const want = runPython<[string, string][]>(`
D = torch.distributions
T = D.transforms
def error(code):
    try:
        eval(code)
        return ['none', '']
    except Exception as e:
        return [type(e).__name__, str(e)]
result = [error(c) for c in json.loads(${JSON.stringify(JSON.stringify(ERRORS.map(([py]) => py)))})]
`);
  test.each(ERRORS.map((e, i) => [e[0], e, i] as const))('%s', (_n, [, js], i) => {
    let got: [string, string] = ['none', ''];
    try {
      js();
    } catch (e) {
      got = [(e as Error).name, (e as Error).message];
    }
    expect(got).toEqual(want[i]);
  });
});

describe('biject_to and transform_to equal PyTorch for each constraint', () => {
  const C = D.constraints;
  // [Python constraint, ours, unconstrained input]
  const CONSTRAINTS: [string, () => InstanceType<typeof C.Constraint>, unknown][] = [
    ['C.real', () => C.real, X],
    ['C.real_vector', () => C.realVector, X],
    ['C.positive', () => C.positive, X],
    ['C.nonnegative', () => C.nonnegative, X],
    ['C.greater_than(1.5)', () => C.greaterThan(1.5), X],
    ['C.greater_than_eq(torch.tensor([0., 1., 2.], dtype=torch.float64))', () => C.greaterThanEq(torch.tensor([0, 1, 2], { dtype: torch.float64 })), X],
    ['C.less_than(-2.)', () => C.lessThan(-2), X],
    ['C.unit_interval', () => C.unitInterval, X],
    ['C.interval(-1., 3.)', () => C.interval(-1, 3), X],
    ['C.half_open_interval(2., 5.)', () => C.halfOpenInterval(2, 5), X],
    ['C.interval(torch.tensor(-1., dtype=torch.float64), 3.)', () => C.interval(torch.tensor(-1, { dtype: torch.float64 }), 3), X],
    ['C.simplex', () => C.simplex, X],
    ['C.independent(C.positive, 1)', () => C.independent(C.positive, 1), X],
    ['C.lower_cholesky', () => C.lowerCholesky, [[[0.3, -1.2, 2], [0.5, 0.1, -0.4], [1, 2, 3]]]],
    ['C.corr_cholesky', () => C.corrCholesky, X],
    ['C.cat([C.positive, C.real, C.unit_interval], 1)', () => C.cat([C.positive, C.real, C.unitInterval], 1), X],
    ['C.cat([C.positive, C.interval(0., 2.)], 1, [2, 1])', () => C.cat([C.positive, C.interval(0, 2)], 1, [2, 1]), X],
    ['C.stack([C.positive, C.unit_interval], 0)', () => C.stack([C.positive, C.unitInterval], 0), X],
    ['C.boolean', () => C.boolean, X],
  ];
  type Mapped = { repr: string; y: unknown; inv: unknown; ladj: unknown; grad: unknown; check: unknown } | string;
  const want = runPython<{ biject: Mapped[]; transform: Mapped[]; user: unknown[] }>(`${PY_HELPERS}
C = D.constraints
def mapped(registry, c, v):
    try: t = registry(c)
    except NotImplementedError as e: return 'NotImplementedError: ' + str(e)
    x = torch.tensor(v, dtype=torch.float64, requires_grad=True)
    y = t(x)
    ladj = attempt(lambda: t.log_abs_det_jacobian(x, y))
    return {'repr': repr(t), 'y': out(y), 'inv': out(t.inv(y.detach())), 'ladj': ladj if isinstance(ladj, str) else out(ladj),
        'grad': grad_of(y, x), 'check': out(c.check(y))}
cases = json.loads(${JSON.stringify(JSON.stringify(CONSTRAINTS.map(([py, , v]) => [py, v])))})
env = {'C': C, 'torch': torch}
biject = [mapped(D.biject_to, eval(c, env), v) for c, v in cases]
transform = [mapped(D.transform_to, eval(c, env), v) for c, v in cases]
class Above(C.Constraint):
    def __init__(self, low): self.low = low
    def check(self, v): return v > self.low
registry = D.constraint_registry.ConstraintRegistry()
registry.register(Above, lambda c: T.ComposeTransform([T.SoftplusTransform(), T.AffineTransform(c.low, 1.)]))
t = registry(Above(2.))
x = torch.tensor([-1., 0.5, 3.], dtype=torch.float64)
result = {'biject': biject, 'transform': transform, 'user': [repr(t), out(t(x))]}
`);
  const mapped = (registry: typeof D.bijectTo, c: InstanceType<typeof C.Constraint>, v: unknown): Mapped => {
    let t: Transform;
    try {
      t = registry(c);
    } catch (e) {
      if ((e as Error).name === 'NotImplementedError') return `NotImplementedError: ${(e as Error).message}`;
      throw e;
    }
    const x = torch.tensor(v as number[], { dtype: torch.float64, requiresGrad: true });
    const y = t(x);
    const ladj = attempt(() => t.logAbsDetJacobian(x, y));
    return { repr: String(t), y: out(y), inv: out(t.inv(y.detach())), ladj: typeof ladj === 'string' ? ladj : out(ladj), grad: gradOf(y, x), check: out(c.check(y)) };
  };
  test.each(CONSTRAINTS.map((c, i) => [c[0], c, i] as const))('%s', (_n, [, js, v], i) => {
    for (const [registry, w] of [[D.bijectTo, want.biject[i]], [D.transformTo, want.transform[i]]] as const) {
      const got = mapped(registry, js(), v);
      if (typeof w === 'string' || typeof got === 'string') expect(got).toEqual(w);
      else for (const k of Object.keys(w) as (keyof typeof w)[]) close(got[k], w[k], 1e-10, k);
    }
  });

  test('register: a user constraint class, in a registry of its own', () => {
    class Above extends C.Constraint {
      constructor(readonly low: number) {
        super();
      }
      check(v: torch.Tensor) {
        return v.gt(this.low);
      }
    }
    const registry = new D.constraintRegistry.ConstraintRegistry();
    registry.register(Above, (c: Above) => new T.ComposeTransform([new T.SoftplusTransform(), new T.AffineTransform(c.low, 1)]));
    const t = registry(new Above(2));
    const x = torch.tensor([-1, 0.5, 3], { dtype: torch.float64 });
    close([String(t), out(t(x))], want.user);
    expect(() => registry(C.positive)).toThrow('Cannot transform _GreaterThan constraints');
    expect(() => registry.register(42, () => T.identityTransform)).toThrow('Expected constraint to be either a Constraint subclass or instance, but got 42');
    // the decorator form: register(c) returns the registering function
    const f = registry.register(C.boolean)(() => new T.SigmoidTransform());
    expect(String(registry(C.boolean))).toBe('SigmoidTransform()');
    expect(typeof f).toBe('function');
  });
});

describe('a tanh-squashed Gaussian policy (SAC) equals PyTorch after the same seed', () => {
  const want = runPython<Record<string, unknown>>(`
import torch.nn as nn
D = torch.distributions
torch.manual_seed(0)
net = nn.Linear(3, 4)
obs = torch.randn(6, 3) * 4
mu, log_std = net(obs).chunk(2, -1)
std = log_std.clamp(-5., 2.).exp()
dist = D.TransformedDistribution(D.Normal(mu * 8, std), [D.transforms.TanhTransform(cache_size=1)])
action = dist.rsample()
log_prob = dist.log_prob(action).sum(-1)
loss = (log_prob - action.pow(2).sum(-1)).mean()
loss.backward()
result = {'action': action.tolist(), 'log_prob': log_prob.tolist(), 'w': net.weight.grad.tolist(), 'b': net.bias.grad.tolist(),
  'saturated': int((action.abs() == 1).sum())}
`);

  test('rsample, logProb of the sample, and the gradient to the Linear layer', () => {
    torch.manualSeed(0);
    const net = new nn.Linear(3, 4);
    const obs = torch.randn(6, 3).mul(4);
    const [mu, logStd] = net(obs).chunk(2, -1);
    const std = logStd.clamp(-5, 2).exp();
    const dist = new D.TransformedDistribution(new D.Normal(mu.mul(8), std), [new D.transforms.TanhTransform({ cacheSize: 1 })]);
    const action = dist.rsample();
    const logProb = dist.logProb(action).sum(-1);
    const loss = logProb.sub(action.pow(2).sum(-1)).mean();
    loss.backward();
    const c = closeWithin(1e-6);
    c(out(action), want.action, 1e-6, 'action');
    c(out(logProb), want.log_prob, 1e-6, 'logProb');
    c(out(net.weight.grad), want.w, 1e-6, 'weight grad');
    c(out(net.bias!.grad), want.b, 1e-6, 'bias grad');
    // some actions are at ±1 in float32: finite only through the cache
    expect(want.saturated as number).toBeGreaterThan(0);
    expect(action.abs().eq(1).sum().item()).toBe(want.saturated);
  });
});
