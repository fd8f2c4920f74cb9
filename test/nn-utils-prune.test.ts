// nn.utils.prune vs PyTorch 1.13: after the same torch.manualSeed, every pruning method (random
// ones included, whose masks come from the global generator), iterative pruning through
// PruningContainer, global pruning, custom masks and a user-defined method leave the same
// parameters, buffers, state_dict (keys and values, masks included), pruned weights, forward
// values and gradients; a second forward after an SGD step shows the hook recomputing the weight.
// remove(), isPruned, the amount rules (count vs fraction, Python's half-to-even rounding),
// state_dicts saved by either side loaded by the other, and Python's error texts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';
import { pythonErrors, message } from './helpers/error-oracle';

const prune = torch.nn.utils.prune;

type Kind = 'linear' | 'conv' | 'seq';

function build(kind: Kind): any {
  if (kind === 'linear') return new nn.Linear(6, 4);
  if (kind === 'conv') return new nn.Conv2d(3, 4, 3);
  return new nn.Sequential(new nn.Linear(6, 4), new nn.ReLU(), new nn.Linear(4, 3));
}
function input(kind: Kind): Tensor {
  if (kind === 'conv') return torch.arange(75).reshape([1, 3, 5, 5]).cos();
  return torch.arange(12).reshape([2, 6]).sin();
}

const PY_HARNESS = `
from torch import nn
from torch.nn.utils import prune
def build(kind):
    if kind == 'linear': return nn.Linear(6, 4)
    if kind == 'conv': return nn.Conv2d(3, 4, 3)
    return nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 3))
def inp(kind):
    if kind == 'conv': return torch.arange(75).reshape(1, 3, 5, 5).cos()
    return torch.arange(12).reshape(2, 6).sin()
def flat(t): return t.detach().reshape(-1).tolist()
def record(m, kind):
    r = {}
    r['params'] = [k for k, _ in m.named_parameters()]
    r['buffers'] = [k for k, _ in m.named_buffers()]
    sd = m.state_dict()
    r['keys'] = list(sd.keys())
    r['sd'] = [flat(v) for v in sd.values()]
    r['attrs'] = [[n + '.' + a, flat(getattr(mod, a))] for n, mod in m.named_modules() for a in ('weight', 'bias') if isinstance(getattr(mod, a, None), torch.Tensor)]
    r['pruned'] = prune.is_pruned(m)
    x = inp(kind)
    out = m(x)
    r['out'] = flat(out)
    (out ** 2).sum().backward()
    r['grads'] = [flat(p.grad) if p.grad is not None else None for _, p in m.named_parameters()]
    with torch.no_grad():
        for p in m.parameters(): p -= 0.1 * p.grad
    r['out2'] = flat(m(x))
    return r
class EveryOther(prune.BasePruningMethod):
    PRUNING_TYPE = 'unstructured'
    def compute_mask(self, t, default_mask):
        mask = default_mask.clone()
        mask.view(-1)[::2] = 0
        return mask
`;

interface Rec {
  params: string[];
  buffers: string[];
  keys: string[];
  sd: number[][];
  attrs: [string, number[]][];
  pruned: boolean;
  out: number[];
  grads: (number[] | null)[];
  out2: number[];
}

const flat = (t: Tensor): number[] => t.detach().reshape(-1).tolist() as number[];

function record(m: any, kind: Kind): Rec {
  const sd = m.stateDict();
  const attrs: [string, number[]][] = [];
  for (const [n, mod] of m.namedModules()) {
    for (const a of ['weight', 'bias']) if (mod[a] instanceof Tensor) attrs.push([`${n}.${a}`, flat(mod[a])]);
  }
  const x = input(kind);
  const out = m(x) as Tensor;
  const r: Rec = {
    params: [...m.namedParameters()].map(([k]: [string]) => k),
    buffers: [...m.namedBuffers()].map(([k]: [string]) => k),
    keys: Object.keys(sd),
    sd: Object.values(sd).map((t) => flat(t as Tensor)),
    attrs,
    pruned: prune.isPruned(m),
    out: flat(out),
    grads: [],
    out2: [],
  };
  out.pow(2).sum().backward();
  r.grads = [...m.parameters()].map((p: Tensor) => (p.grad ? flat(p.grad) : null));
  torch.noGrad(() => {
    for (const p of m.parameters() as Iterable<Tensor>) p.sub_(p.grad!.mul(0.1));
  });
  r.out2 = flat(m(x));
  return r;
}

const close = closeWithin(1e-5);

class EveryOther extends prune.BasePruningMethod {
  static PRUNING_TYPE = 'unstructured';
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const mask = defaultMask.clone();
    mask.view(-1).indexPut_(['::2'], 0);
    return mask;
  }
}

const scores = () => torch.arange(24, { dtype: torch.float32 }).reshape([4, 6]).cos();
const PY_SCORES = 'torch.arange(24.).reshape(4, 6).cos()';
const customMask = () => torch.arange(24).reshape([4, 6]).remainder(3).ne(0).float();
const PY_MASK = '(torch.arange(24).reshape(4, 6) % 3 != 0).float()';

// [name, build, seed, Python statements on m, the same here]
const CASES: [string, Kind, number, string, (m: any) => void][] = [
  ['random_unstructured fraction 0.3', 'linear', 0, "prune.random_unstructured(m, 'weight', amount=0.3)", (m) => prune.randomUnstructured(m, 'weight', 0.3)],
  ['random_unstructured count 5', 'linear', 1, "prune.random_unstructured(m, 'weight', 5)", (m) => prune.randomUnstructured(m, 'weight', { amount: 5 })],
  ['random_unstructured 1 is a count', 'linear', 2, "prune.random_unstructured(m, 'weight', 1)", (m) => prune.randomUnstructured(m, 'weight', 1)],
  ['random_unstructured fraction(1) is 1.0: everything', 'linear', 3, "prune.random_unstructured(m, 'weight', 1.0)", (m) => prune.randomUnstructured(m, 'weight', prune.fraction(1))],
  ['random_unstructured 0.1875 * 24 = 4.5 rounds to even', 'linear', 4, "prune.random_unstructured(m, 'weight', 0.1875)", (m) => prune.randomUnstructured(m, 'weight', 0.1875)],
  ['random_unstructured count(0)', 'linear', 5, "prune.random_unstructured(m, 'bias', 0)", (m) => prune.randomUnstructured(m, 'bias', prune.count(0))],
  ['l1_unstructured weight and bias', 'linear', 6, "prune.l1_unstructured(m, 'weight', 0.5); prune.l1_unstructured(m, 'bias', 2)", (m) => {
    prune.l1Unstructured(m, 'weight', 0.5);
    prune.l1Unstructured(m, 'bias', 2);
  }],
  ['l1_unstructured 0.0625 * 24 = 1.5 rounds to 2', 'linear', 7, "prune.l1_unstructured(m, 'weight', 0.0625)", (m) => prune.l1Unstructured(m, 'weight', 0.0625)],
  ['l1_unstructured with importance scores', 'linear', 8, `prune.l1_unstructured(m, 'weight', 0.25, importance_scores=${PY_SCORES})`, (m) => prune.l1Unstructured(m, 'weight', 0.25, { importanceScores: scores() })],
  ['random_structured dim 0', 'linear', 9, "prune.random_structured(m, 'weight', 0.5, 0)", (m) => prune.randomStructured(m, 'weight', 0.5, 0)],
  ['random_structured count along dim -1', 'linear', 10, "prune.random_structured(m, 'weight', amount=2, dim=-1)", (m) => prune.randomStructured(m, 'weight', { amount: 2, dim: -1 })],
  ['ln_structured L2 dim 0', 'linear', 11, "prune.ln_structured(m, 'weight', 0.5, 2, 0)", (m) => prune.lnStructured(m, 'weight', 0.5, 2, 0)],
  ['ln_structured L1 dim 1 with importance scores', 'linear', 12, `prune.ln_structured(m, 'weight', 3, 1, 1, importance_scores=${PY_SCORES})`, (m) => prune.lnStructured(m, 'weight', 3, 1, 1, scores())],
  ['ln_structured inf norm dim -1', 'linear', 13, "prune.ln_structured(m, 'weight', 0.25, float('inf'), -1)", (m) => prune.lnStructured(m, 'weight', 0.25, Infinity, { dim: -1 })],
  ["ln_structured 'fro' dim 0", 'linear', 14, "prune.ln_structured(m, 'weight', 1, 'fro', 0)", (m) => prune.lnStructured(m, 'weight', { amount: 1, n: 'fro', dim: 0 })],
  ['conv ln_structured then random_structured', 'conv', 15, "prune.ln_structured(m, 'weight', 0.5, 2, 0); prune.random_structured(m, 'weight', 0.5, 1)", (m) => {
    prune.lnStructured(m, 'weight', 0.5, 2, 0);
    prune.randomStructured(m, 'weight', 0.5, 1);
  }],
  ['iterative: unstructured, structured, unstructured, structured', 'linear', 16,
    "prune.random_unstructured(m, 'weight', 0.3); prune.ln_structured(m, 'weight', 0.5, 2, 0); prune.l1_unstructured(m, 'weight', 3); prune.random_structured(m, 'weight', 1, 1)",
    (m) => {
      prune.randomUnstructured(m, 'weight', 0.3);
      prune.lnStructured(m, 'weight', 0.5, 2, 0);
      prune.l1Unstructured(m, 'weight', 3);
      prune.randomStructured(m, 'weight', 1, 1);
    }],
  ['iterative conv: structured, unstructured, structured', 'conv', 17,
    "prune.ln_structured(m, 'weight', 0.25, 1, 0); prune.random_unstructured(m, 'weight', 0.2); prune.ln_structured(m, 'weight', 1, 2, 1)",
    (m) => {
      prune.lnStructured(m, 'weight', 0.25, 1, 0);
      prune.randomUnstructured(m, 'weight', 0.2);
      prune.lnStructured(m, 'weight', 1, 2, 1);
    }],
  ['identity', 'linear', 18, "prune.identity(m, 'weight')", (m) => prune.identity(m, 'weight')],
  ['custom_from_mask then l1', 'linear', 19, `prune.custom_from_mask(m, 'weight', mask=${PY_MASK}); prune.l1_unstructured(m, 'weight', 4)`, (m) => {
    prune.customFromMask(m, 'weight', { mask: customMask() });
    prune.l1Unstructured(m, 'weight', 4);
  }],
  ['a user-defined method, then combined with l1', 'linear', 20, "EveryOther.apply(m, 'weight'); prune.l1_unstructured(m, 'weight', 0.5)", (m) => {
    EveryOther.apply(m, 'weight');
    prune.l1Unstructured(m, 'weight', 0.5);
  }],
  ['remove after iterative pruning', 'linear', 21,
    "prune.random_unstructured(m, 'weight', 0.3); prune.ln_structured(m, 'weight', 1, 2, 0); prune.l1_unstructured(m, 'bias', 1); prune.remove(m, 'weight')",
    (m) => {
      prune.randomUnstructured(m, 'weight', 0.3);
      prune.lnStructured(m, 'weight', 1, 2, 0);
      prune.l1Unstructured(m, 'bias', 1);
      prune.remove(m, 'weight');
    }],
  ['remove everything', 'linear', 22, "prune.l1_unstructured(m, 'weight', 0.5); prune.remove(m, 'weight')", (m) => {
    prune.l1Unstructured(m, 'weight', 0.5);
    prune.remove(m, 'weight');
  }],
  ['global_unstructured L1', 'seq', 23, "prune.global_unstructured([(m[0], 'weight'), (m[2], 'weight'), (m[2], 'bias')], prune.L1Unstructured, amount=0.4)", (m) =>
    prune.globalUnstructured([[m[0], 'weight'], [m[2], 'weight'], [m[2], 'bias']], prune.L1Unstructured, { amount: 0.4 })],
  ['global_unstructured random on top of earlier pruning, with importance scores', 'seq', 24,
    "prune.l1_unstructured(m[0], 'weight', 0.5); prune.global_unstructured([(m[0], 'weight'), (m[2], 'weight')], prune.RandomUnstructured, importance_scores={(m[2], 'weight'): torch.arange(12.).reshape(3, 4)}, amount=7)",
    (m) => {
      prune.l1Unstructured(m[0], 'weight', 0.5);
      const importance = new Map([[[m[2], 'weight'] as const, torch.arange(12, { dtype: torch.float32 }).reshape([3, 4])]]);
      prune.globalUnstructured([[m[0], 'weight'], [m[2], 'weight']], prune.RandomUnstructured, { importanceScores: importance, amount: 7 });
    }],
  ['global_unstructured L1 with importance scores positionally', 'seq', 25,
    "prune.global_unstructured([(m[0], 'weight'), (m[2], 'weight')], prune.L1Unstructured, {(m[0], 'weight'): torch.arange(24.).reshape(4, 6).sin()}, amount=10)",
    (m) => {
      const importance = new Map([[[m[0], 'weight'] as const, torch.arange(24, { dtype: torch.float32 }).reshape([4, 6]).sin()]]);
      prune.globalUnstructured([[m[0], 'weight'], [m[2], 'weight']], prune.L1Unstructured, importance, { amount: 10 });
    }],
  ['Class.apply forms', 'linear', 26,
    "prune.RandomUnstructured.apply(m, 'weight', 0.25); prune.LnStructured.apply(m, 'weight', 1, 1, 0); prune.L1Unstructured.apply(m, 'bias', amount=1)",
    (m) => {
      prune.RandomUnstructured.apply(m, 'weight', 0.25);
      prune.LnStructured.apply(m, 'weight', 1, 1, 0);
      prune.L1Unstructured.apply(m, 'bias', { amount: 1 });
    }],
];

describe('pruning methods equal PyTorch', () => {
  const want = runPython<Rec[]>(`${PY_HARNESS}
result = []
for kind, seed, code in ${JSON.stringify(CASES.map((c) => [c[1], c[2], c[3]]))}:
    torch.manual_seed(seed)
    m = build(kind)
    exec(code)
    result.append(record(m, kind))
`);
  test.each(CASES.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    const [, kind, seed, , run] = CASES[i];
    torch.manualSeed(seed);
    const m = build(kind);
    run(m);
    const got = record(m, kind);
    const w = want[i];
    expect(got.params).toEqual(w.params);
    expect(got.buffers).toEqual(w.buffers);
    expect(got.keys).toEqual(w.keys);
    expect(got.pruned).toBe(w.pruned);
    close(got.sd, w.sd);
    expect(got.attrs.map((a) => a[0])).toEqual(w.attrs.map((a) => a[0]));
    close(got.attrs, w.attrs);
    close(got.out, w.out);
    close(got.grads, w.grads);
    close(got.out2, w.out2);
  });
});

describe('pruning structure', () => {
  test('weight_orig is the parameter, weight_mask a buffer, weight a plain tensor recomputed before forward', () => {
    torch.manualSeed(0);
    const m: any = new nn.Linear(6, 4);
    const w = m.weight;
    prune.l1Unstructured(m, 'weight', 0.5);
    expect(m.weight_orig).toBe(w);
    expect(m.weight_orig).toBeInstanceOf(nn.Parameter);
    expect(m.weight_mask).toBeInstanceOf(Tensor);
    expect(m.weight).not.toBeInstanceOf(nn.Parameter);
    expect(m.weight.gradFn).not.toBeNull();
    expect(m.weight_mask.sum().item()).toBe(12);
    // the parameter keeps its values: only the attribute is masked
    expect(flat(m.weight)).toEqual(flat(w.mul(m.weight_mask)));
    const before = m.weight;
    m(torch.ones(1, 6));
    expect(m.weight).not.toBe(before);
  });

  test('iterative pruning builds one PruningContainer hook with the methods in order', () => {
    torch.manualSeed(0);
    const m: any = new nn.Linear(6, 4);
    const first = prune.RandomUnstructured.apply(m, 'weight', 0.3);
    expect(first).toBeInstanceOf(prune.RandomUnstructured);
    expect(first._tensorName).toBe('weight');
    const second = prune.L1Unstructured.apply(m, 'weight', 2);
    expect(second).toBeInstanceOf(prune.PruningContainer);
    const third = prune.LnStructured.apply(m, 'weight', 1, 2, 0);
    expect(third).toBe(second);
    const c = third as InstanceType<typeof prune.PruningContainer>;
    expect(c.length).toBe(3);
    expect([...c].map((x) => x.constructor.name)).toEqual(['RandomUnstructured', 'L1Unstructured', 'LnStructured']);
    expect(c.at(-1)).toBeInstanceOf(prune.LnStructured);
    expect(m._forwardPreHooks.size).toBe(1);
    prune.remove(m, 'weight');
    expect(m._forwardPreHooks.size).toBe(0);
    expect(prune.isPruned(m)).toBe(false);
  });

  test('remove keeps the Parameter object (optimizers keep it) with the pruned values', () => {
    torch.manualSeed(0);
    const m: any = new nn.Linear(6, 4);
    const w = m.weight;
    prune.l1Unstructured(m, 'weight', 0.5);
    const pruned = flat(m.weight);
    prune.remove(m, 'weight');
    expect(m.weight).toBe(w);
    expect(flat(m.weight)).toEqual(pruned);
    expect(m.weight_orig).toBeUndefined();
    expect(m.weight_mask).toBeUndefined();
  });

  test('deepcopy of a pruned module prunes with its own weight_orig and mask', () => {
    torch.manualSeed(0);
    const m: any = new nn.Linear(6, 4);
    prune.l1Unstructured(m, 'weight', 0.5);
    const c: any = nn.deepcopy(m);
    expect(prune.isPruned(c)).toBe(true);
    torch.noGrad(() => c.weight_orig.fill_(1));
    c(torch.ones(1, 6));
    expect(flat(c.weight)).toEqual(flat(c.weight_mask));
    expect(flat(m.weight)).not.toEqual(flat(m.weight_mask));
    prune.remove(c, 'weight');
    expect(prune.isPruned(c)).toBe(false);
    expect(prune.isPruned(m)).toBe(true);
  });

  test('isPruned looks at submodules', () => {
    const seq: any = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.Linear(2, 2)));
    expect(prune.isPruned(seq)).toBe(false);
    prune.identity(seq[1][0], 'bias');
    expect(prune.isPruned(seq)).toBe(true);
  });

  test('BasePruningMethod.prune(t, defaultMask, importanceScores)', () => {
    const t = torch.tensor([[1, -5, 2], [0.5, 3, -4]]);
    const out = new prune.L1Unstructured(2).prune(t);
    close(out.tolist(), [[0, -5, 2], [0, 3, -4]], 0);
    const scored = new prune.L1Unstructured(0.5).prune(t, { importanceScores: torch.tensor([[6, 5, 4], [3, 2, 1]]) });
    close(scored.tolist(), [[1, -5, 2], [0, 0, 0]], 0);
    const onTop = new prune.L1Unstructured(1).prune(t, torch.tensor([[1, 1, 0], [1, 1, 1]]));
    close(onTop.tolist(), [[1, -5, 0], [0, 3, -4]], 0);
  });

  test('amount: integers count, other numbers are fractions; fraction() and count() say it explicitly', () => {
    const t = torch.arange(1, 11, { dtype: torch.float32 });
    const kept = (amount: number | ReturnType<typeof prune.fraction>) => new prune.L1Unstructured(amount).computeMask(t, torch.onesLike(t)).sum().item();
    expect(kept(3)).toBe(7);
    expect(kept(0.3)).toBe(7);
    expect(kept(1)).toBe(9);
    expect(kept(prune.fraction(1))).toBe(0);
    expect(kept(prune.count(10))).toBe(0);
    expect(kept(0.25)).toBe(8); // round(2.5) = 2, Python's half-to-even
    expect(kept(0.75)).toBe(2); // round(7.5) = 8
    expect(String(prune.fraction(1))).toBe('1.0');
  });

  test('the recomputed weight outlives a tidy around forward', () => {
    torch.manualSeed(0);
    const m: any = new nn.Linear(6, 4);
    prune.l1Unstructured(m, 'weight', 0.5);
    torch.tidy(() => {
      m(torch.ones(1, 6));
    });
    expect(flat(m.weight).length).toBe(24);
  });
});

describe('state_dicts across languages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-prune-'));
  const pyFile = path.join(dir, 'py.pt');
  const jsFile = path.join(dir, 'js.pt');
  const want = runPython<{ out: number[]; mask: number[]; error: string }>(`
from torch import nn
from torch.nn.utils import prune
torch.manual_seed(5)
m = nn.Linear(6, 4)
prune.l1_unstructured(m, 'weight', 0.5)
prune.random_unstructured(m, 'bias', 2)
prune.random_structured(m, 'weight', 1, 0)
torch.save(m.state_dict(), ${JSON.stringify(pyFile)})
x = torch.arange(12).reshape(2, 6).sin()
result = {'out': m(x).reshape(-1).tolist(), 'mask': m.weight_mask.reshape(-1).tolist(),
          'error': err(lambda: nn.Linear(6, 4).load_state_dict(m.state_dict()))}
`);

  test("a Python-saved pruned state_dict loads into a module pruned here (prune.identity), Python's forward", async () => {
    torch.manualSeed(123);
    const m: any = new nn.Linear(6, 4);
    prune.identity(m, 'weight');
    prune.identity(m, 'bias');
    const sd = (await torch.load(pyFile)) as Record<string, Tensor>;
    expect(Object.keys(sd)).toEqual(['weight_orig', 'bias_orig', 'weight_mask', 'bias_mask']);
    const r = m.loadStateDict(sd);
    expect(r.missingKeys).toEqual([]);
    expect(r.unexpectedKeys).toEqual([]);
    close(flat(m.weight_mask), want.mask, 0);
    close(flat(m(torch.arange(12).reshape([2, 6]).sin())), want.out);
  });

  test("loading a pruned state_dict into an unpruned module: Python's error", async () => {
    const sd = (await torch.load(pyFile)) as Record<string, Tensor>;
    expect(message(() => new nn.Linear(6, 4).loadStateDict(sd))).toBe(want.error);
  });

  test('a state_dict pruned and saved here loads in Python, with the same forward', async () => {
    torch.manualSeed(9);
    const m: any = new nn.Linear(6, 4);
    prune.lnStructured(m, 'weight', 0.5, 1, 1);
    prune.l1Unstructured(m, 'bias', 0.5);
    await torch.save(m.stateDict(), jsFile);
    const mine = flat(m(torch.arange(12).reshape([2, 6]).sin()));
    const theirs = runPython<{ keys: string[]; out: number[] }>(`
from torch import nn
from torch.nn.utils import prune
m = nn.Linear(6, 4)
prune.identity(m, 'weight')
prune.identity(m, 'bias')
sd = torch.load(${JSON.stringify(jsFile)})
m.load_state_dict(sd)
result = {'keys': list(sd.keys()), 'out': m(torch.arange(12).reshape(2, 6).sin()).reshape(-1).tolist()}
`);
    expect(theirs.keys).toEqual(Object.keys(m.stateDict()));
    expect(theirs.keys).toEqual(['weight_orig', 'bias_orig', 'weight_mask', 'bias_mask']);
    close(mine, theirs.out);
  });
});

describe("errors: TorchError with PyTorch's text", () => {
  const lin = (): any => new nn.Linear(6, 4);
  const CASES: [string, () => unknown][] = [
    ["prune.random_unstructured(nn.Linear(6, 4), 'weight', 1.5)", () => prune.randomUnstructured(lin(), 'weight', 1.5)],
    ["prune.random_unstructured(nn.Linear(6, 4), 'weight', -1)", () => prune.randomUnstructured(lin(), 'weight', -1)],
    ["prune.l1_unstructured(nn.Linear(6, 4), 'weight', -0.25)", () => prune.l1Unstructured(lin(), 'weight', -0.25)],
    ["prune.l1_unstructured(nn.Linear(6, 4), 'weight', 2.0)", () => prune.l1Unstructured(lin(), 'weight', prune.fraction(2))],
    ["prune.random_unstructured(nn.Linear(6, 4), 'weight', 'abc')", () => prune.randomUnstructured(lin(), 'weight', 'abc' as unknown as number)],
    ["prune.l1_unstructured(nn.Linear(6, 4), 'weight', 25)", () => prune.l1Unstructured(lin(), 'weight', 25)],
    ["prune.random_structured(nn.Linear(6, 4), 'bias', 0.5, 0)", () => prune.randomStructured(lin(), 'bias', 0.5, 0)],
    ["prune.ln_structured(nn.Linear(6, 4), 'weight', 0.5, 2, 2)", () => prune.lnStructured(lin(), 'weight', 0.5, 2, 2)],
    ["prune.random_structured(nn.Linear(6, 4), 'weight', 5, 0)", () => prune.randomStructured(lin(), 'weight', 5, 0)],
    ["prune.remove(nn.Linear(6, 4), 'weight')", () => prune.remove(lin(), 'weight')],
    ["prune.remove(nn.Sequential(nn.Linear(2, 2)), 'weight')", () => prune.remove(new nn.Sequential(new nn.Linear(2, 2)), 'weight')],
    ["prune.remove(prune.identity(nn.Linear(6, 4), 'weight'), 'bias')", () => prune.remove(prune.identity(lin(), 'weight'), 'bias')],
    ["prune.l1_unstructured(nn.Linear(6, 4), 'foo', 0.5)", () => prune.l1Unstructured(lin(), 'foo', 0.5)],
    ["prune.l1_unstructured(nn.Linear(6, 4), 'weight', 0.5, importance_scores=torch.ones(3))", () => prune.l1Unstructured(lin(), 'weight', 0.5, torch.ones(3))],
    ["prune.global_unstructured([(L, 'weight')], prune.RandomStructured, amount=0.5)", () => prune.globalUnstructured([[lin(), 'weight']], prune.RandomStructured, { amount: 0.5 })],
    ["prune.global_unstructured([(L, 'weight')], prune.L1Unstructured, [1], amount=0.5)", () => prune.globalUnstructured([[lin(), 'weight']], prune.L1Unstructured, [1] as any, { amount: 0.5 })],
    ['prune.global_unstructured(3, prune.L1Unstructured, amount=0.5)', () => prune.globalUnstructured(3 as any, prune.L1Unstructured, { amount: 0.5 })],
    ["prune.global_unstructured([(L, 'weight')], prune.L1Unstructured, amount=30)", () => prune.globalUnstructured([[lin(), 'weight']], prune.L1Unstructured, { amount: 30 })],
  ];
  const expected = pythonErrors(
    CASES.map((c) => c[0]),
    { prelude: 'from torch import nn\nfrom torch.nn.utils import prune\nL = nn.Linear(6, 4)' },
  );
  test.each(CASES.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    expect(expected[i]).not.toBe('no error');
    expect(CASES[i][1]).toThrow(torch.TorchError);
    expect(message(CASES[i][1])).toBe(expected[i]);
  });

  test('a failed first pruning leaves the parameter as it was', () => {
    const m: any = lin();
    const w = m.weight;
    expect(() => prune.l1Unstructured(m, 'weight', 25)).toThrow(torch.TorchError);
    expect(m.weight).toBe(w);
    expect([...m.namedParameters()].map(([k]: [string]) => k)).toEqual(['bias', 'weight']);
    expect(prune.isPruned(m)).toBe(false);
  });

  test('arguments are checked as Python binds them', () => {
    expect(message(() => (prune.l1Unstructured as any)(lin(), 'weight'))).toBe("l1Unstructured() missing 1 required positional argument: 'amount'");
    expect(message(() => prune.l1Unstructured(lin(), 'weight', { amount: 0.5, importance: null } as any))).toBe(
      "l1Unstructured() got an unexpected keyword argument 'importance'",
    );
    expect(() => new (EveryOther as any)().computeMask).not.toThrow();
    expect(message(() => new (prune.BasePruningMethod as any)())).toBe("Can't instantiate abstract class BasePruningMethod with abstract method compute_mask");
  });
});
