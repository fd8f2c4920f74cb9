// nn.Module's methods take their Python positional parameters by keyword too (train({ mode }),
// namedParameters({ prefix, recurse }), loadStateDict(sd, false), ...), with Python's TypeErrors;
// loadStateDict returns _IncompatibleKeys printing as Python's repr; _apply replaces parameters
// whose new tensors cannot be shallow-copied in (to('meta')), as PyTorch 1.13; toEmpty; and
// randomSplit's { generator } keyword. Each row is checked against PyTorch.
import { inspect } from 'util';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { randomSplit, TensorDataset } from '../lib/data';
import { runPython } from './helpers/python';
import { pythonErrors, message } from './helpers/error-oracle';

const PY_NET = `
from torch import nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.bn = nn.BatchNorm1d(2)
        self.shared = self.fc
        self.register_buffer('steps', torch.zeros(1, dtype=torch.int64))
        self.gain = nn.Parameter(torch.ones(1))
    def forward(self, x):
        return self.bn(self.fc(x)) * self.gain
`;

class Net extends nn.Module {
  fc = new nn.Linear(3, 2);
  bn = new nn.BatchNorm1d(2);
  shared: nn.Linear;
  gain = new nn.Parameter(torch.ones(1));
  declare steps: Tensor;
  constructor() {
    super();
    this.shared = this.fc;
    this.registerBuffer('steps', torch.zeros(1, { dtype: torch.int64 }));
  }
  forward(x: Tensor): Tensor {
    return this.bn(this.fc(x)).mul(this.gain);
  }
}

/** Calls a method with arguments its TypeScript signature rejects, as a JavaScript caller could. */
const call = (obj: object, name: string, ...args: unknown[]): unknown => (obj as Record<string, (...a: unknown[]) => unknown>)[name](...args);
const names = (it: Iterable<[string, unknown]>): string[] => [...it].map(([n]) => n);

// ---- 1. positional parameters by keyword -------------------------------------------------------
const py = runPython<Record<string, unknown>>(`${PY_NET}
import warnings
def fresh():
    torch.manual_seed(0)
    return Net()
names = lambda it: [n for n, _ in it]
net = fresh()
out = {}
net.train(mode=False)
out['trainMode'] = [m.training for m in net.modules()]
out['trainPositional'] = [m.training for m in fresh().train(False).modules()]
out['paramsPrefix'] = names(net.named_parameters(prefix='a'))
out['paramsNoRecurse'] = names(net.named_parameters(recurse=False))
out['paramsPrefixNoRecurse'] = names(net.named_parameters('a', recurse=False))
out['parametersNoRecurse'] = [list(p.shape) for p in net.parameters(recurse=False)]
out['buffersPrefix'] = names(net.named_buffers(prefix='p'))
out['buffersNoRecurse'] = names(net.named_buffers(recurse=False))
out['buffersCount'] = [len(list(net.buffers(recurse=False))), len(list(net.buffers(True)))]
out['modulesPrefix'] = names(net.named_modules(prefix='root'))
out['modulesMemo'] = names(net.named_modules(memo={net.bn}))
out['modulesNoDedup'] = names(net.named_modules(remove_duplicate=False))
out['modulesPositional'] = names(net.named_modules(None, 'r', False))
net.requires_grad_(requires_grad=False)
out['requiresGradKw'] = [p.requires_grad for p in net.parameters()]
sd = fresh().state_dict()
del sd['gain']
sd['extra'] = torch.zeros(1)
r = fresh().load_state_dict(sd, False)
out['loosePositional'] = [r.missing_keys, r.unexpected_keys]
out['stateDictKw'] = list(fresh().state_dict(prefix='m.', keep_vars=True).keys())
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    out['stateDictPositional'] = list(fresh().state_dict(None, 'm.').keys())
    out['stateDictWarning'] = str(w[0].message)
out['typeKw'] = [str(v.dtype) for v in fresh().type(dst_type=torch.float64).state_dict().values()]
out['toDtypeKw'] = [str(v.dtype) for v in fresh().to('cpu', dtype=torch.float64).state_dict().values()]
out['toDtypeNonBlocking'] = [str(v.dtype) for v in fresh().to(torch.float64, False).state_dict().values()]
m = nn.Linear(1, 1)
m.register_buffer('kept', torch.zeros(1), False)
out['bufferPersistentPositional'] = list(m.state_dict().keys())
result = out
`);

describe('Module methods take their positional parameters by keyword, as PyTorch', () => {
  const fresh = (): Net => {
    torch.manualSeed(0);
    return new Net();
  };
  const net = fresh();
  test.each<[string, () => unknown]>([
    ['trainMode', () => [...fresh().train({ mode: false }).modules()].map((m) => m.training)],
    ['trainPositional', () => [...fresh().train(false).modules()].map((m) => m.training)],
    ['paramsPrefix', () => names(net.namedParameters({ prefix: 'a' }))],
    ['paramsNoRecurse', () => names(net.namedParameters({ recurse: false }))],
    ['paramsPrefixNoRecurse', () => names(net.namedParameters('a', { recurse: false }))],
    ['parametersNoRecurse', () => [...net.parameters({ recurse: false })].map((p) => p.shape)],
    ['buffersPrefix', () => names(net.namedBuffers({ prefix: 'p' }))],
    ['buffersNoRecurse', () => names(net.namedBuffers({ recurse: false }))],
    ['buffersCount', () => [[...net.buffers({ recurse: false })].length, [...net.buffers(true)].length]],
    ['modulesPrefix', () => names(net.namedModules({ prefix: 'root' }))],
    ['modulesMemo', () => names(net.namedModules({ memo: new Set<nn.Module>([net.bn]) }))],
    ['modulesNoDedup', () => names(net.namedModules({ removeDuplicate: false }))],
    ['modulesPositional', () => names(net.namedModules(null, 'r', false))],
    ['requiresGradKw', () => [...fresh().requiresGrad_({ requiresGrad: false }).parameters()].map((p) => p.requiresGrad)],
    ['loosePositional', () => {
      const sd = fresh().stateDict();
      delete sd['gain'];
      sd['extra'] = torch.zeros(1);
      const r = fresh().loadStateDict(sd, false);
      return [r.missingKeys, r.unexpectedKeys];
    }],
    ['stateDictKw', () => Object.keys(fresh().stateDict({ prefix: 'm.', keepVars: true }))],
    ['typeKw', () => Object.values(fresh().type({ dstType: torch.float64 }).stateDict()).map((v) => String(v.dtype))],
    ['toDtypeKw', () => Object.values(fresh().to('cpu', { dtype: torch.float64 }).stateDict()).map((v) => String(v.dtype))],
    ['toDtypeNonBlocking', () => Object.values(fresh().to(torch.float64, false).stateDict()).map((v) => String(v.dtype))],
    ['bufferPersistentPositional', () => {
      const m = new nn.Linear(1, 1);
      m.registerBuffer('kept', torch.zeros(1), false);
      return Object.keys(m.stateDict());
    }],
  ])('%s', (key, run) => {
    expect(run()).toEqual(py[key]);
  });

  test("stateDict's deprecated positional form, with PyTorch's warning", () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(Object.keys(fresh().stateDict(null, 'm.'))).toEqual(py.stateDictPositional);
      expect(warn).toHaveBeenCalledWith(py.stateDictWarning, 'UserWarning');
      const dest = Object.create(null) as Record<string, Tensor>;
      expect(fresh().stateDict(dest, '', true)).toBe(dest);
      expect(dest['gain']).toBeInstanceOf(nn.Parameter);
    } finally {
      warn.mockRestore();
    }
  });

  test('keyword and positional forms reach the same module state', () => {
    const m = fresh();
    expect(m.stateDict({ keepVars: true })['gain']).toBe(m.gain);
    m.zeroGrad({ setToNone: false });
    const order: string[] = [];
    m.apply({ fn: (x: nn.Module) => order.push(x._getName()) });
    expect(order).toEqual(['Linear', 'BatchNorm1d', 'Net']);
  });
});

// ---- 1b. Python's TypeErrors -----------------------------------------------------------------
/** Python's message for a Module method, in this API's names: Module.named_parameters() -> namedParameters(). */
const camel = (msg: string): string => msg.replace(/^Module\./, '').replace(/\b([a-z]+(?:_[a-z]+)+)/g, (w) => w.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));

const m = new nn.Linear(2, 2);
const sd = m.stateDict();
const ds = new TensorDataset(torch.arange(4));
// [Python expression, the same call here, whether the text stays Python's verbatim]
const ERRORS: [string, () => unknown, boolean?][] = [
  ['m.train(True, 1)', () => call(m, 'train', true, 1)],
  ['m.train(mode=1)', () => call(m, 'train', { mode: 1 })],
  ['m.train(True, mode=True)', () => call(m, 'train', true, { mode: true })],
  ['m.train(mdoe=True)', () => call(m, 'train', { mdoe: true })],
  ['m.eval(False)', () => call(m, 'eval', false)],
  ['m.named_parameters("", True, False)', () => call(m, 'namedParameters', '', true, false)],
  ['m.named_parameters(remove_duplicate=False)', () => call(m, 'namedParameters', { removeDuplicate: false })],
  ['m.named_parameters("", prefix="a")', () => call(m, 'namedParameters', '', { prefix: 'a' })],
  ['m.parameters(True, 1)', () => call(m, 'parameters', true, 1)],
  ['m.named_buffers(remove_duplicate=False)', () => call(m, 'namedBuffers', { removeDuplicate: false })],
  ['m.buffers(True, recurse=False)', () => call(m, 'buffers', true, { recurse: false })],
  ['m.named_modules(None, "", True, 1)', () => call(m, 'namedModules', null, '', true, 1)],
  ['m.named_children(1)', () => call(m, 'namedChildren', 1)],
  ['m.children(1)', () => call(m, 'children', 1)],
  ['m.modules(1)', () => call(m, 'modules', 1)],
  ['m.requires_grad_(True, 1)', () => call(m, 'requiresGrad_', true, 1)],
  ['m.requires_grad_(1)', () => call(m, 'requiresGrad_', 1), true],
  ['m.load_state_dict(sd, True, strict=True)', () => call(m, 'loadStateDict', sd, true, { strict: true })],
  ['m.load_state_dict()', () => call(m, 'loadStateDict')],
  ['m.load_state_dict([])', () => call(m, 'loadStateDict', []), true],
  ['m.to_empty("cpu")', () => call(m, 'toEmpty', 'cpu')],
  ['m.to_empty()', () => call(m, 'toEmpty')],
  ['m.to_empty(device="cpu", dtype=None)', () => call(m, 'toEmpty', { device: 'cpu', dtype: null })],
  ['m.zero_grad(True, 1)', () => call(m, 'zeroGrad', true, 1)],
  ['m.register_buffer("a", None, True, 1)', () => call(m, 'registerBuffer', 'a', null, true, 1)],
  ['m.register_buffer("a")', () => call(m, 'registerBuffer', 'a')],
  ['m.apply()', () => call(m, 'apply')],
  ['m.type()', () => call(m, 'type')],
  ['m.cuda(0, 1)', () => call(m, 'cuda', 0, 1)],
  ['m.cuda(index=1)', () => call(m, 'cuda', { index: 1 })],
  ['m.get_submodule()', () => call(m, 'getSubmodule')],
  ['random_split(ds, [2, 2], gen=None)', () => randomSplit(ds, [2, 2], { gen: null } as never)],
  ['random_split(ds, [2, 2], None, generator=None)', () => call({ randomSplit }, 'randomSplit', ds, [2, 2], null, { generator: null })],
];

describe("Module methods raise Python's TypeErrors", () => {
  const expected = pythonErrors(
    ERRORS.map(([code]) => code),
    { prelude: 'from torch import nn\nfrom torch.utils.data import random_split, TensorDataset\nm = nn.Linear(2, 2)\nsd = m.state_dict()\nds = TensorDataset(torch.arange(4))' },
  );
  ERRORS.forEach(([code, run, verbatim], i) => {
    test(code, () => {
      expect(expected[i]).not.toBe('no error');
      expect(run).toThrow(torch.TorchError);
      expect(message(run)).toBe(verbatim ? expected[i] : camel(expected[i]));
    });
  });
});

// ---- 2. _IncompatibleKeys --------------------------------------------------------------------
const pyKeys = runPython<{ repr: string[]; str: string[]; tuple: string[][][] }>(`
from torch import nn
m = nn.Linear(2, 2)
sd = m.state_dict()
bad = {'weight': sd['weight'], "it's": torch.zeros(1), 'x"y': torch.zeros(1)}
rs = [m.load_state_dict(sd), m.load_state_dict({}, strict=False), m.load_state_dict(bad, False)]
result = dict(repr=[repr(r) for r in rs], str=[str(r) for r in rs], tuple=[[list(x) for x in r] for r in rs])
`);

describe('loadStateDict returns _IncompatibleKeys', () => {
  const lin = new nn.Linear(2, 2);
  const good = lin.stateDict();
  const runs = () => [
    lin.loadStateDict(good),
    lin.loadStateDict({}, { strict: false }),
    lin.loadStateDict({ weight: good['weight'], "it's": torch.zeros(1), 'x"y': torch.zeros(1) }, false),
  ];
  test("String() and console.log print Python's repr", () => {
    const rs = runs();
    expect(rs.map(String)).toEqual(pyKeys.str);
    expect(rs.map((r) => inspect(r))).toEqual(pyKeys.repr);
  });
  test('it destructures as the namedtuple and keeps its fields', () => {
    runs().forEach((r, i) => {
      const [missing, unexpected] = r;
      expect([missing, unexpected]).toEqual(pyKeys.tuple[i]);
      expect([r.missingKeys, r.unexpectedKeys]).toEqual(pyKeys.tuple[i]);
    });
  });
});

// ---- 3. to('meta') and toEmpty ----------------------------------------------------------------
const pyMeta = runPython<Record<string, unknown>>(`${PY_NET}
torch.manual_seed(0)
lin = nn.Linear(2, 2)
w = lin.weight
lin.weight.grad = torch.ones(2, 2)
lin.to('meta')
out = dict(weight=repr(lin.weight), bias=repr(lin.bias), grad=repr(lin.weight.grad), same=lin.weight is w,
           isParam=isinstance(lin.weight, nn.Parameter), oldDevice=str(w.device), module=repr(lin))
net = Net()
net.fc.bias.requires_grad_(False)
net.to('meta')
out['metaState'] = [[k, str(v.device), str(v.dtype), list(v.shape)] for k, v in net.state_dict(keep_vars=True).items()]
net.to_empty(device='cpu')
out['emptyState'] = [[k, str(v.device), str(v.dtype), list(v.shape), type(v).__name__, v.requires_grad] for k, v in net.state_dict(keep_vars=True).items()]
out['sharedAfter'] = net.shared is net.fc and net.shared.weight is net.fc.weight
out['forward'] = list(net.eval()(torch.ones(4, 3)).shape)
result = out
`);

describe("to('meta') replaces parameters, as PyTorch 1.13's _apply", () => {
  test("new nn.Linear(2, 2).to('meta'): meta Parameters printing as PyTorch's", () => {
    torch.manualSeed(0);
    const lin = new nn.Linear(2, 2);
    const w = lin.weight;
    w.grad = torch.ones(2, 2);
    lin.to('meta');
    expect(String(lin.weight)).toBe(pyMeta.weight);
    expect(String(lin.bias)).toBe(pyMeta.bias);
    expect(String(lin.weight.grad)).toBe(pyMeta.grad);
    expect(lin.weight === w).toBe(pyMeta.same);
    expect(lin.weight instanceof nn.Parameter).toBe(pyMeta.isParam);
    expect(String(w.device)).toBe(pyMeta.oldDevice);
    expect(String(lin)).toBe(pyMeta.module);
    expect(names(lin.namedParameters())).toEqual(['weight', 'bias']);
  });
  test("a model's to('meta') then toEmpty({ device: 'cpu' })", () => {
    const net = new Net();
    net.fc.bias!.requiresGrad_(false);
    net.to('meta');
    const state = (withKind: boolean) =>
      Object.entries(net.stateDict({ keepVars: true })).map(([k, v]) => {
        const row: unknown[] = [k, String(v.device), String(v.dtype), v.shape];
        return withKind ? [...row, v instanceof nn.Parameter ? 'Parameter' : 'Tensor', v.requiresGrad] : row;
      });
    expect(state(false)).toEqual(pyMeta.metaState);
    expect(net.toEmpty({ device: 'cpu' })).toBe(net);
    expect(state(true)).toEqual(pyMeta.emptyState);
    expect(net.shared === net.fc && net.shared.weight === net.fc.weight).toBe(pyMeta.sharedAfter);
    expect(net.eval()(torch.ones(4, 3)).shape).toEqual(pyMeta.forward);
  });
  test('a compatible conversion still keeps the Parameter (and its grad) in place', () => {
    const lin = new nn.Linear(2, 2);
    const w = lin.weight;
    lin(torch.ones(1, 2)).sum().backward();
    const g = w.grad!;
    lin.to(torch.float64);
    expect(lin.weight).toBe(w);
    expect(w.dtype).toBe(torch.float64);
    expect(w.grad!.dtype).toBe(torch.float64);
    expect(torch.equal(g, torch.ones(2, 2, { dtype: torch.float64 }))).toBe(true); // the grad's data was swapped in place
  });
});

// ---- 4. randomSplit(ds, lengths, { generator }) -------------------------------------------------
const pySplit = runPython<number[][][]>(`
from torch.utils.data import random_split
result = [[list(s.indices) for s in random_split(range(10), [3, 7], generator=torch.Generator().manual_seed(42))],
          [list(s.indices) for s in random_split(range(10), [0.5, 0.5], torch.Generator().manual_seed(7))]]
`);

describe('randomSplit takes the generator by keyword', () => {
  const ten = new TensorDataset(torch.arange(10));
  test('randomSplit(ds, lengths, { generator })', () => {
    expect(randomSplit(ten, [3, 7], { generator: new torch.Generator().manualSeed(42) }).map((s) => s.indices)).toEqual(pySplit[0]);
  });
  test('the positional generator still works', () => {
    expect(randomSplit(ten, [0.5, 0.5], new torch.Generator().manualSeed(7)).map((s) => s.indices)).toEqual(pySplit[1]);
  });
});
