// nn.Module semantics against PyTorch: registration order and names, traversal, state_dict keys,
// load_state_dict results and error text, containers, reprs, modes, conversions and hooks.
import { inspect } from 'util';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { runPython } from './helpers/python';
import { SequentialSampler } from '../lib/data';

// The same model in both languages: class fields, constructor assignments, a buffer (persistent
// and not), a None parameter slot, a shared submodule, nested containers.
const PY_MODEL = `
from torch import nn
from collections import OrderedDict
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.scale = nn.Parameter(torch.ones(3))
        self.register_buffer('running', torch.zeros(3))
        self.register_buffer('scratch', torch.zeros(1), persistent=False)
        self.register_parameter('extra', None)
    def forward(self, x):
        return self.fc(x) * self.scale + self.running
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = Block()
        self.body = nn.Sequential(OrderedDict([('lin', nn.Linear(3, 4)), ('act', nn.Identity())]))
        self.heads = nn.ModuleList([nn.Linear(4, 2), nn.Linear(4, 1)])
        self.named = nn.ModuleDict({'b': nn.Linear(2, 2), 'a': nn.Identity()})
        self.plist = nn.ParameterList([nn.Parameter(torch.zeros(2)), nn.Parameter(torch.zeros(2, 3))])
        self.pdict = nn.ParameterDict({'w': nn.Parameter(torch.zeros(4))})
        self.shared = self.first
        self.gain = nn.Parameter(torch.tensor(2.0))
    def forward(self, x):
        h = self.body(self.first(x))
        return [head(h) for head in self.heads]
`;

class Block extends nn.Module {
  fc = new nn.Linear(3, 3);
  scale = new nn.Parameter(torch.ones(3));
  declare running: Tensor;
  declare extra: nn.Parameter | null;
  constructor() {
    super();
    this.registerBuffer('running', torch.zeros(3));
    this.registerBuffer('scratch', torch.zeros(1), { persistent: false });
    this.registerParameter('extra', null);
  }
  forward(x: Tensor): Tensor {
    return this.fc(x).mul(this.scale).add(this.running);
  }
}

class Net extends nn.Module {
  first = new Block();
  body = new nn.Sequential(new Map<string, nn.Module>([['lin', new nn.Linear(3, 4)], ['act', new nn.Identity()]]));
  heads = new nn.ModuleList([new nn.Linear(4, 2), new nn.Linear(4, 1)]);
  named = new nn.ModuleDict({ b: new nn.Linear(2, 2), a: new nn.Identity() });
  plist = new nn.ParameterList([new nn.Parameter(torch.zeros(2)), new nn.Parameter(torch.zeros(2, 3))]);
  pdict = new nn.ParameterDict({ w: new nn.Parameter(torch.zeros(4)) });
  shared: Block;
  gain = new nn.Parameter(torch.tensor(2.0, { dtype: torch.float32 })); // a JS 2.0 is an integer
  constructor() {
    super();
    this.shared = this.first;
  }
  forward(x: Tensor): Tensor[] {
    const h = this.body(this.first(x));
    return [...this.heads].map((head) => head(h));
  }
}

interface PyFacts {
  params: string[];
  buffers: string[];
  modules: string[];
  children: string[];
  stateDict: [string, number[]][];
  repr: string;
  strictErrors: Record<string, string>;
  loose: Record<string, [string[], string[]]>;
  noDedupParams: string[];
}

// Broken state dicts, built the same way on both sides from the model's own state dict.
const BROKEN = {
  missing: "del sd['first.fc.bias']; del sd['gain']",
  unexpected: "sd['first.bogus'] = torch.zeros(1); sd['nothere.weight'] = torch.zeros(1)",
  both: "del sd['heads.1.weight']; sd['heads.7.weight'] = torch.zeros(1)",
  shape: "sd['first.fc.weight'] = torch.zeros(2, 3)",
  notTensor: "sd['gain'] = 3",
};

function breakHere(sd: Record<string, unknown>, kind: keyof typeof BROKEN): void {
  if (kind === 'missing') {
    delete sd['first.fc.bias'];
    delete sd['gain'];
  } else if (kind === 'unexpected') {
    sd['first.bogus'] = torch.zeros(1);
    sd['nothere.weight'] = torch.zeros(1);
  } else if (kind === 'both') {
    delete sd['heads.1.weight'];
    sd['heads.7.weight'] = torch.zeros(1);
  } else if (kind === 'shape') {
    sd['first.fc.weight'] = torch.zeros(2, 3);
  } else {
    sd['gain'] = 3;
  }
}

const py = runPython<PyFacts>(`${PY_MODEL}
net = Net()
def strict_error(kind):
    sd = net.state_dict()
    exec(kind, dict(sd=sd, torch=torch))
    try:
        net.load_state_dict(sd)
        return ''
    except RuntimeError as e:
        return str(e)
def loose(kind):
    sd = net.state_dict()
    exec(kind, dict(sd=sd, torch=torch))
    try:
        r = net.load_state_dict(sd, strict=False)
        return [r.missing_keys, r.unexpected_keys]
    except RuntimeError as e:
        return str(e)
broken = json.loads(${JSON.stringify(JSON.stringify(BROKEN))})
result = dict(
    params=[n for n, _ in net.named_parameters()],
    buffers=[n for n, _ in net.named_buffers()],
    modules=[n for n, _ in net.named_modules()],
    children=[n for n, _ in net.named_children()],
    stateDict=[[k, list(v.shape)] for k, v in net.state_dict().items()],
    repr=repr(net),
    strictErrors={k: strict_error(v) for k, v in broken.items()},
    loose={k: loose(v) for k, v in broken.items() if k in ('missing', 'unexpected', 'both')},
    # every module's own parameters, walking named_modules(remove_duplicate=False)
    noDedupParams=[mp + ('.' if mp else '') + k for mp, m in net.named_modules(remove_duplicate=False) for k, v in m._parameters.items() if v is not None],
)
`);

describe('registration and traversal equal PyTorch', () => {
  const net = new Net();
  test('namedParameters', () => expect([...net.namedParameters()].map(([n]) => n)).toEqual(py.params));
  test('namedModules without dedup (1.13 has no namedParameters(removeDuplicate))', () => {
    const names = [...net.namedModules({ removeDuplicate: false })].flatMap(([mp, m]) => m._ownParameters().map(([k]) => (mp ? `${mp}.${k}` : k)));
    expect(names).toEqual(py.noDedupParams);
  });
  test('namedBuffers', () => expect([...net.namedBuffers()].map(([n]) => n)).toEqual(py.buffers));
  test('namedModules', () => expect([...net.namedModules()].map(([n]) => n)).toEqual(py.modules));
  test('namedChildren', () => expect([...net.namedChildren()].map(([n]) => n)).toEqual(py.children));
  test('stateDict keys, order and shapes', () => {
    expect(Object.entries(net.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(py.stateDict);
  });
  test('repr', () => {
    expect(String(net)).toBe(py.repr);
    expect(inspect(net)).toBe(py.repr);
  });
  test('stateDict tensors are detached, keepVars keeps them', () => {
    const sd = net.stateDict();
    expect(sd['gain'].requiresGrad).toBe(false);
    expect(net.stateDict({ keepVars: true })['gain']).toBe(net.gain);
    expect(Object.getPrototypeOf(sd)).toBeNull();
    expect(Object.keys(net.stateDict({ prefix: 'm.' }))[0]).toBe('m.gain'); // own entries first, then children's
  });
});

describe('loadStateDict', () => {
  for (const kind of Object.keys(BROKEN) as (keyof typeof BROKEN)[]) {
    test(`strict error text equals PyTorch's: ${kind}`, () => {
      const net = new Net();
      const sd: Record<string, unknown> = net.stateDict();
      breakHere(sd, kind);
      expect(() => net.loadStateDict(sd as Record<string, Tensor>)).toThrow(torch.TorchError);
      expect(() => net.loadStateDict(sd as Record<string, Tensor>)).toThrow(py.strictErrors[kind]);
    });
  }
  for (const kind of ['missing', 'unexpected', 'both'] as const) {
    test(`strict: false returns PyTorch's missing/unexpected keys: ${kind}`, () => {
      const net = new Net();
      const sd: Record<string, unknown> = net.stateDict();
      breakHere(sd, kind);
      const r = net.loadStateDict(sd as Record<string, Tensor>, { strict: false });
      expect([r.missingKeys, r.unexpectedKeys]).toEqual(py.loose[kind]);
    });
  }
  test('copies values into the same Parameter objects, from an object or a Map', () => {
    const a = new Net();
    const b = new Net();
    const w = b.first.fc.weight;
    b.loadStateDict(a.stateDict());
    expect(b.first.fc.weight).toBe(w);
    expect(torch.equal(w, a.first.fc.weight)).toBe(true);
    const c = new Net();
    c.loadStateDict(new Map(Object.entries(a.stateDict())));
    expect(torch.equal(c.heads[1].bias!, a.heads[1].bias!)).toBe(true);
  });
});

describe('callable modules', () => {
  test('model(x) runs forward; typeof and instanceof', () => {
    const lin = new nn.Linear(3, 2);
    const x = torch.randn(4, 3);
    expect(torch.equal(lin(x), lin.forward(x))).toBe(true);
    expect(typeof lin).toBe('function');
    expect(lin).toBeInstanceOf(nn.Module);
    expect(lin).toBeInstanceOf(nn.Linear);
  });
  test('a module without forward raises PyTorch\'s error', () => {
    class Empty extends nn.Module {}
    expect(() => new Empty()()).toThrow('Module [Empty] is missing the required "forward" function');
  });
  test('subclasses may use the names `name` and `length`', () => {
    class Named extends nn.Module {
      name = 'mine';
      length = 3;
      forward() {
        return this.name;
      }
    }
    const m = new Named();
    m.name = 'changed';
    expect(m()).toBe('changed');
    expect(m.length).toBe(3);
  });
  test('forward pre-hooks and hooks run in order, can replace inputs/outputs, and are removable', () => {
    const lin = new nn.Linear(2, 2);
    const calls: string[] = [];
    const h1 = lin.registerForwardPreHook((_m, [x]) => {
      calls.push('pre');
      return [(x as Tensor).mul(0)];
    });
    const h2 = lin.registerForwardHook((_m, _in, out) => {
      calls.push('post');
      return (out as Tensor).add(1);
    });
    lin.registerForwardHook(() => {
      calls.push('first');
    }, { prepend: true });
    const y = lin(torch.ones(1, 2));
    expect(calls).toEqual(['pre', 'first', 'post']);
    expect(torch.allclose(y, lin.bias!.add(1).unsqueeze(0))).toBe(true);
    h1.remove();
    h2.remove();
    const x = torch.ones(1, 2);
    expect(torch.equal(lin(x), lin.forward(x))).toBe(true);
  });
});

describe('parameters and modes', () => {
  test('reassigning a Parameter replaces it in place (order kept)', () => {
    const lin = new nn.Linear(2, 3);
    lin.weight = new nn.Parameter(torch.zeros(3, 2));
    expect([...lin.namedParameters()].map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(torch.equal(lin.stateDict()['weight'], torch.zeros(3, 2))).toBe(true);
  });
  test('nn.Parameter requires grad by default, shares storage, prints as PyTorch', () => {
    const t = torch.zeros(2);
    const p = new nn.Parameter(t);
    expect(p.requiresGrad).toBe(true);
    expect(new nn.Parameter(t, false).requiresGrad).toBe(false);
    t.add_(1);
    expect(p.tolist()).toEqual([1, 1]);
    expect(String(p)).toBe('Parameter containing:\ntensor([1., 1.], requires_grad=True)');
    expect(p).toBeInstanceOf(Tensor);
  });
  test('train()/eval() recurse; training flag', () => {
    const net = new Net();
    expect(net.training && net.body.training).toBe(true);
    net.eval();
    expect([...net.modules()].every((m) => !m.training)).toBe(true);
    net.train();
    expect([...net.modules()].every((m) => m.training)).toBe(true);
  });
  test('to(dtype) keeps Parameter identity and casts floating buffers; grads follow', () => {
    const net = new Net();
    const w = net.first.fc.weight;
    net.first.fc(torch.ones(1, 3)).sum().backward();
    net.double();
    expect(net.first.fc.weight).toBe(w);
    expect(w.dtype).toBe(torch.float64);
    expect(w.grad!.dtype).toBe(torch.float64);
    expect(net.first.running.dtype).toBe(torch.float64);
    net.to({ dtype: torch.float32 });
    expect(w.dtype).toBe(torch.float32);
    expect(() => net.to(torch.int64)).toThrow(torch.TorchError);
  });
  test('zeroGrad sets grads to null by default, or zeros', () => {
    const lin = new nn.Linear(2, 2);
    lin(torch.ones(1, 2)).sum().backward();
    lin.zeroGrad({ setToNone: false });
    expect(lin.weight.grad!.abs().sum().item()).toBe(0);
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
  });
  test('requiresGrad_(false) freezes every parameter; apply visits children first', () => {
    const net = new Net();
    net.requiresGrad_(false);
    expect([...net.parameters()].some((p) => p.requiresGrad)).toBe(false);
    const order: string[] = [];
    new nn.Sequential(new nn.Linear(1, 1), new nn.Identity()).apply((m) => order.push(m._getName()));
    expect(order).toEqual(['Linear', 'Identity', 'Sequential']);
  });
  test('getSubmodule/getParameter/getBuffer and their errors', () => {
    const net = new Net();
    expect(net.getSubmodule('heads.1')).toBe(net.heads[1]);
    expect(net.getParameter('first.fc.bias')).toBe(net.first.fc.bias);
    expect(net.getBuffer('first.running')).toBe(net.first.running);
    expect(() => net.getSubmodule('first.nope')).toThrow('Block has no attribute `nope`');
    expect(() => net.getSubmodule('gain')).toThrow('`gain` is not an nn.Module');
  });
  test('registration errors', () => {
    const m = new nn.Identity();
    expect(() => m.registerBuffer('a.b', torch.zeros(1))).toThrow('buffer name can\'t contain "."');
    expect(() => m.addModule('', new nn.Identity())).toThrow('module name can\'t be empty string ""');
    expect(() => m.registerParameter('w', torch.zeros(1) as nn.Parameter)).toThrow(torch.TorchError);
    expect(() => m.registerBuffer('train', torch.zeros(1))).toThrow("attribute 'train' already exists");
  });
});

describe('containers behave like PyTorch', () => {
  const facts = runPython<Record<string, unknown>>(`
from torch import nn
s = nn.Sequential(nn.Linear(1, 2), nn.Identity(), nn.Linear(2, 3))
sl = s[1:3]
s.append(nn.Identity())
s.insert(1, nn.Linear(2, 2))
popped = s.pop(0)
ml = nn.ModuleList([nn.Identity(), nn.Linear(1, 1)])
ml.insert(0, nn.Linear(2, 2))
ml.extend([nn.Identity()])
result = dict(
    slice=[k for k, _ in sl.named_children()], sliceRepr=repr(sl),
    seq=[k for k, _ in s.named_children()], seqRepr=repr(s), popped=repr(popped),
    ml=repr(ml), pl=repr(nn.ParameterList([nn.Parameter(torch.zeros(2, 3)), nn.Parameter(torch.zeros(1), requires_grad=False)])),
    pd=repr(nn.ParameterDict({'a': nn.Parameter(torch.zeros(2, dtype=torch.float64)), 'b': nn.Parameter(torch.zeros(3))})),
    md=repr(nn.ModuleDict({'x': nn.Linear(1, 1)})),
    empty=repr(nn.Sequential()),
)
`);
  test('Sequential slice keeps names; append/insert/pop as Python', () => {
    const s = new nn.Sequential(new nn.Linear(1, 2), new nn.Identity(), new nn.Linear(2, 3));
    const sl = s.slice(1, 3);
    expect([...sl.namedChildren()].map(([k]) => k)).toEqual(facts.slice);
    expect(String(sl)).toBe(facts.sliceRepr);
    s.append(new nn.Identity());
    s.insert(1, new nn.Linear(2, 2));
    const popped = s.pop(0);
    expect([...s.namedChildren()].map(([k]) => k)).toEqual(facts.seq);
    expect(String(s)).toBe(facts.seqRepr);
    expect(String(popped)).toBe(facts.popped);
    expect(s.length).toBe(4);
    expect(s.at(-1)).toBe(s[3]);
  });
  test('Sequential runs its modules in order', () => {
    const s = new nn.Sequential(new nn.Linear(3, 4), new nn.Linear(4, 2));
    const x = torch.randn(5, 3);
    expect(torch.equal(s(x), s[1](s[0](x)))).toBe(true);
  });
  test('ModuleList, ParameterList, ParameterDict, ModuleDict reprs', () => {
    const ml = new nn.ModuleList<nn.Module>([new nn.Identity(), new nn.Linear(1, 1)]);
    ml.insert(0, new nn.Linear(2, 2));
    ml.extend([new nn.Identity()]);
    expect(String(ml)).toBe(facts.ml);
    expect(String(new nn.ParameterList([new nn.Parameter(torch.zeros(2, 3)), new nn.Parameter(torch.zeros(1), false)]))).toBe(facts.pl);
    expect(String(new nn.ParameterDict({ a: new nn.Parameter(torch.zeros(2, { dtype: torch.float64 })), b: new nn.Parameter(torch.zeros(3)) }))).toBe(facts.pd);
    expect(String(new nn.ModuleDict({ x: new nn.Linear(1, 1) }))).toBe(facts.md);
    expect(String(new nn.Sequential())).toBe(facts.empty);
  });
  test('ModuleList is not callable; ParameterList converts tensors to Parameters', () => {
    expect(() => new nn.ModuleList()()).toThrow(torch.TorchError);
    const pl = new nn.ParameterList([torch.zeros(2)]);
    expect(pl[0]).toBeInstanceOf(nn.Parameter);
    expect(pl[0].requiresGrad).toBe(true);
  });
});

test('ModuleDict/ModuleList subclasses may define forward (as torchvision\'s _DenseBlock does)', () => {
  class Block extends nn.ModuleDict {
    constructor() {
      super({ a: new nn.Linear(2, 2), b: new nn.Linear(2, 2) });
    }
    forward(x: Tensor): Tensor {
      return (this.get('b') as nn.Linear)((this.get('a') as nn.Linear)(x));
    }
  }
  const m = new Block();
  const x = torch.ones(1, 2);
  expect(m(x).shape).toEqual([1, 2]);
  expect([...m.namedParameters()].map(([k]) => k)).toEqual(['a.weight', 'a.bias', 'b.weight', 'b.bias']);
});

test("String(model.stateDict()) is Python's repr of the state_dict (print(model.state_dict()))", () => {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(2, 2), new nn.BatchNorm1d(2));
  const py = runPython<string>(`
from torch import nn
torch.manual_seed(0)
result = repr(nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)).state_dict())
`);
  expect(String(model.stateDict())).toBe(py);
  expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
});

test('clipGradValue_ takes clipValue by keyword; samplers have length', () => {
  const p = new nn.Parameter(torch.tensor([1, 2, 3], { dtype: torch.float32 }));
  p.mul(torch.tensor([3, -5, 0.5])).sum().backward();
  nn.utils.clipGradValue_([p], { clipValue: 1 });
  expect(p.grad!.tolist()).toEqual([1, -1, 0.5]);
  expect(new SequentialSampler([1, 2, 3]).length).toBe(3);
  expect(torch.backends.mps.isAvailable()).toBe(false);
});
