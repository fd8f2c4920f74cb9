// Porting rows for nn's core against PyTorch 1.13: Sequential/ModuleList indexing by position
// whatever the children's names, registration in assignment order (ES2022 class fields declared
// without a value), Python's __setattr__ errors and buffer rules, nn.init's keyword arguments,
// Transformer.generateSquareSubsequentMask(sz, { device }) and F.affineGrid(theta, { size }).
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { runPythonShared as runPython } from './helpers/python-session';
import { ErrorOracleOptions, message, pythonErrors as pythonErrorsOf } from './helpers/error-oracle';

/** pythonErrors in this file's one Python process. */
const pythonErrors = (codes: string[], options: ErrorOracleOptions = {}) => pythonErrorsOf(codes, { runner: runPython, ...options });

const { init } = nn;
const F = nn.functional;
const names = (m: nn.Module) => [...m.namedChildren()].map(([k]) => k);

// ---- 1. positional indexing ----------------------------------------------------------------------
const PY_SEQ = runPython<Record<string, unknown>>(`
from torch import nn
from collections import OrderedDict
torch.manual_seed(0)
# the neural-style tutorial's pattern: named children added one by one, then model[i] and model[:i]
seq = nn.Sequential()
seq.add_module('conv_1', nn.Conv2d(1, 2, 3))
seq.add_module('relu_1', nn.ReLU())
seq.add_module('pool_1', nn.MaxPool2d(2))
seq.add_module('conv_2', nn.Conv2d(2, 2, 3))
read = dict(one=repr(seq[1]), last=repr(seq[-1]), minus3=repr(seq[-3]), length=len(seq),
            iterated=[type(m).__name__ for m in seq], head=repr(seq[:2]), tail=[k for k, _ in seq[2:].named_children()])
last_pool = [i for i in range(len(seq) - 1, -1, -1) if isinstance(seq[i], nn.MaxPool2d)][0]
cut = [k for k, _ in seq[:last_pool + 1].named_children()]
seq[1] = nn.Tanh()
seq[-1] = nn.Sigmoid()
after_set = repr(seq)
del seq[0]
after_del = dict(names=list(seq._modules), repr=repr(seq), first=repr(seq[0]))
mapped = nn.Sequential(OrderedDict([('a', nn.Linear(2, 3)), ('b', nn.ReLU()), ('c', nn.Linear(3, 1))]))
mapped_facts = dict(zero=repr(mapped[0]), two=repr(mapped[2]), minus1=repr(mapped[-1]))
# numbered and named children mixed: append names by length, registration order is Python's
mixed = nn.Sequential(nn.Linear(1, 2))
mixed.add_module('conv', nn.Linear(2, 2))
mixed.append(nn.Linear(2, 3))
mixed_facts = dict(children=[k for k, _ in mixed.named_children()], keys=list(mixed.state_dict().keys()),
                   params=[k for k, _ in mixed.named_parameters()], repr=repr(mixed), one=repr(mixed[1]))
popped = nn.Sequential(OrderedDict([('x', nn.ReLU()), ('y', nn.Tanh()), ('z', nn.Sigmoid())]))
p = popped.pop(1)
pop_facts = dict(popped=repr(p), names=list(popped._modules), repr=repr(popped))
ins = nn.Sequential(nn.ReLU(), nn.Tanh())
ins.insert(1, nn.Sigmoid())
ins.insert(-1, nn.Identity())
none_slot = nn.Sequential(OrderedDict([('a', nn.ReLU()), ('b', nn.Tanh())]))
none_slot.a = None
result = dict(read=read, cut=cut, after_set=after_set, after_del=after_del, mapped=mapped_facts, mixed=mixed_facts,
              pop=pop_facts, insert=dict(names=list(ins._modules), repr=repr(ins)),
              none_slot=dict(repr=repr(none_slot), length=len(none_slot)),
              ml=None)
ml = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid()])
ml_facts = dict(last=repr(ml[-1]), minus3=repr(ml[-3]))
ml[-1] = nn.Identity()
ml[1] = nn.GELU()
ml_facts['after_set'] = repr(ml)
del ml[0]
ml_facts['after_del'] = repr(ml)
ml_facts['last_after_del'] = repr(ml[-1])
ml_facts['pop'] = repr(ml.pop(0))
ml_facts['after_pop'] = repr(ml)
result['ml'] = ml_facts
pl = nn.ParameterList([nn.Parameter(torch.zeros(2)), nn.Parameter(torch.zeros(3))])
pl[0] = torch.ones(4)
pl[-1] = torch.ones(5, 1)
result['pl'] = dict(repr=repr(pl), kinds=[type(p).__name__ for p in pl], last=list(pl[-1].shape))
`);

function styleSequential(): nn.Sequential {
  torch.manualSeed(0);
  const seq = new nn.Sequential();
  seq.addModule('conv_1', new nn.Conv2d(1, 2, 3));
  seq.addModule('relu_1', new nn.ReLU());
  seq.addModule('pool_1', new nn.MaxPool2d(2));
  seq.addModule('conv_2', new nn.Conv2d(2, 2, 3));
  return seq;
}

describe('Sequential indexes by position whatever the names (Python model[i])', () => {
  const py = PY_SEQ as Record<string, any>;
  test('seq[i], seq[-i], at(), length and iteration after addModule', () => {
    const seq = styleSequential();
    expect(String(seq[1])).toBe(py.read.one);
    expect(String(seq[-1])).toBe(py.read.last);
    expect(String(seq[-3])).toBe(py.read.minus3);
    expect(seq.at(-1)).toBe(seq[3]);
    expect(seq[1]).toBe(seq.getSubmodule('relu_1'));
    expect(seq.length).toBe(py.read.length);
    expect([...seq].map((m) => m._getName())).toEqual(py.read.iterated);
    expect(seq[4]).toBeUndefined();
    expect(() => seq.at(4)).toThrow('index 4 is out of range');
  });
  test('slices: seq[:2] and seq[2:] keep the names; the tutorial cut model[:(i + 1)]', () => {
    const seq = styleSequential();
    expect(String(seq.slice(0, 2))).toBe(py.read.head);
    expect(names(seq.slice(2))).toEqual(py.read.tail);
    let lastPool = -1;
    for (let i = seq.length - 1; i >= 0; i--) {
      if (seq[i] instanceof nn.MaxPool2d) {
        lastPool = i;
        break;
      }
    }
    expect(names(seq.slice(0, lastPool + 1))).toEqual(py.cut);
  });
  test('seq[1] = m replaces the second child under its name; delete seq[0] renumbers as Python', () => {
    const seq = styleSequential();
    seq[1] = new nn.Tanh();
    seq[-1] = new nn.Sigmoid();
    expect(String(seq)).toBe(py.after_set);
    expect(seq.getSubmodule('relu_1')).toBeInstanceOf(nn.Tanh);
    delete seq[0];
    expect(names(seq)).toEqual(py.after_del.names);
    expect(String(seq)).toBe(py.after_del.repr);
    expect(String(seq[0])).toBe(py.after_del.first);
    expect(seq[2]).toBe(seq.at(-1));
    expect(seq[-4]).toBeUndefined();
  });
  test('a Sequential from a Map reads seq[0] positionally', () => {
    const a = new nn.Linear(2, 3);
    const c = new nn.Linear(3, 1);
    const mapped = new nn.Sequential(new Map<string, nn.Module>([['a', a], ['b', new nn.ReLU()], ['c', c]]));
    expect(mapped[0]).toBe(a);
    expect(mapped[2]).toBe(c);
    expect(mapped[-1]).toBe(c);
    expect([String(mapped[0]), String(mapped[2]), String(mapped[-1])]).toEqual([py.mapped.zero, py.mapped.two, py.mapped.minus1]);
    expect(mapped(torch.ones(1, 2)).shape).toEqual([1, 1]);
  });
  test('numbered and named children mixed keep Python\'s registration order', () => {
    const mixed = new nn.Sequential(new nn.Linear(1, 2));
    mixed.addModule('conv', new nn.Linear(2, 2));
    mixed.append(new nn.Linear(2, 3));
    expect(names(mixed)).toEqual(py.mixed.children);
    expect(Object.keys(mixed.stateDict())).toEqual(py.mixed.keys);
    expect([...mixed.namedParameters()].map(([k]) => k)).toEqual(py.mixed.params);
    expect(String(mixed)).toBe(py.mixed.repr);
    expect(String(mixed[1])).toBe(py.mixed.one);
    expect(mixed(torch.ones(1, 1)).shape).toEqual([1, 3]);
  });
  test('pop, insert and a None slot as Python', () => {
    const popped = new nn.Sequential(new Map<string, nn.Module>([['x', new nn.ReLU()], ['y', new nn.Tanh()], ['z', new nn.Sigmoid()]]));
    const p = popped.pop(1);
    expect([String(p), names(popped), String(popped)]).toEqual([py.pop.popped, py.pop.names, py.pop.repr]);
    const ins = new nn.Sequential(new nn.ReLU(), new nn.Tanh());
    ins.insert(1, new nn.Sigmoid());
    ins.insert(-1, new nn.Identity());
    expect([names(ins), String(ins)]).toEqual([py.insert.names, py.insert.repr]);
    const noneSlot = new nn.Sequential(new Map<string, nn.Module>([['a', new nn.ReLU()], ['b', new nn.Tanh()]]));
    (noneSlot as unknown as { a: nn.Module | null }).a = null;
    expect(String(noneSlot)).toBe(py.none_slot.repr);
    expect(noneSlot.length).toBe(py.none_slot.length);
  });
  test('out-of-range positional writes and deletes are Python\'s IndexError', () => {
    const seq = styleSequential();
    const py2 = pythonErrors(['s.__setitem__(4, nn.ReLU())', 's.__delitem__(-5)', "setattr(s, 'conv_1', torch.zeros(1))", 's[4]'], {
      prelude: "from torch import nn\nfrom collections import OrderedDict\ns = nn.Sequential(OrderedDict(conv_1=nn.Conv2d(1, 2, 3), relu_1=nn.ReLU(), pool_1=nn.MaxPool2d(2), conv_2=nn.Conv2d(2, 2, 3)))",
    });
    expect(message(() => (seq[4] = new nn.ReLU()))).toBe(py2[0]);
    expect(message(() => delete seq[-5])).toBe(py2[1]);
    expect(message(() => ((seq as unknown as Record<string, unknown>).conv_1 = torch.zeros(1)))).toBe(py2[2]);
    expect(message(() => seq.at(4))).toBe(py2[3]);
    expect(seq.length).toBe(4);
  });
  test('deepcopy keeps names, order and positions', () => {
    const seq = styleSequential();
    const copy = nn.deepcopy(seq);
    expect(names(copy)).toEqual(names(seq));
    expect(String(copy[1])).toBe(String(seq[1]));
    expect(copy[-1]).not.toBe(seq[-1]);
    expect(copy[-1]).toBeInstanceOf(nn.Conv2d);
    copy[1] = new nn.Tanh();
    expect(copy.getSubmodule('relu_1')).toBeInstanceOf(nn.Tanh);
    expect(() => (copy[7] = new nn.ReLU())).not.toThrow(); // a copy (no constructor run) registers new keys by name
  });
});

describe('ModuleList and ParameterList indexing as Python', () => {
  const py = (PY_SEQ as Record<string, any>).ml;
  test('ml[-1], ml[i] = m, delete ml[0], pop', () => {
    const ml = new nn.ModuleList<nn.Module>([new nn.ReLU(), new nn.Tanh(), new nn.Sigmoid()]);
    expect(String(ml[-1])).toBe(py.last);
    expect(String(ml[-3])).toBe(py.minus3);
    expect(ml.at(-1)).toBe(ml[2]);
    ml[-1] = new nn.Identity();
    ml[1] = new nn.GELU();
    expect(String(ml)).toBe(py.after_set);
    delete ml[0];
    expect(String(ml)).toBe(py.after_del);
    expect(String(ml[-1])).toBe(py.last_after_del);
    expect(String(ml.pop(0))).toBe(py.pop);
    expect(String(ml)).toBe(py.after_pop);
    expect(ml.length).toBe(1);
    expect(ml[-2]).toBeUndefined();
    expect(() => (ml[1] = new nn.ReLU())).toThrow('index 1 is out of range');
  });
  test('pl[i] = tensor wraps it in a Parameter; pl[-1]', () => {
    const ppy = (PY_SEQ as Record<string, any>).pl;
    const pl = new nn.ParameterList([new nn.Parameter(torch.zeros(2)), new nn.Parameter(torch.zeros(3))]);
    (pl as unknown as Tensor[])[0] = torch.ones(4);
    (pl as unknown as Tensor[])[-1] = torch.ones(5, 1);
    expect(String(pl)).toBe(ppy.repr);
    expect([...pl].map((p) => p.constructor.name)).toEqual(ppy.kinds);
    expect(pl[-1].shape).toEqual(ppy.last);
    expect([...pl.parameters()].length).toBe(2);
  });
});

// ---- 2. registration in assignment order ---------------------------------------------------------
const PY_ORDER = runPython<Record<string, unknown>>(`
from torch import nn
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 3)
        self.fc2 = nn.Linear(3, 2)
        self.encoder = nn.Embedding(10, 4)
        self.decoder = nn.Linear(4, 10)
        self.scale = nn.Parameter(torch.ones(1))
        self.bias = nn.Parameter(torch.zeros(1))
        self.head = None
        self.head = nn.Linear(10, 1)
torch.manual_seed(0)
m = Model()
result = dict(keys=list(m.state_dict().keys()), params=[k for k, _ in m.named_parameters()], repr=repr(m),
              first=m.encoder.weight[0].tolist(), opt=[list(p.shape) for p in m.parameters()])
`);

class Model extends nn.Module {
  fc1 = new nn.Linear(2, 3);
  fc2 = new nn.Linear(3, 2);
  // declared in another order than assigned: with ES2022 class fields both exist (undefined)
  // before the constructor body, and must still register in assignment order, as Python's
  decoder: nn.Linear;
  encoder: nn.Embedding;
  bias: nn.Parameter;
  scale: nn.Parameter;
  head: nn.Linear | null = null;
  constructor() {
    super();
    this.encoder = new nn.Embedding(10, 4);
    this.decoder = new nn.Linear(4, 10);
    this.scale = new nn.Parameter(torch.ones(1));
    this.bias = new nn.Parameter(torch.zeros(1));
    this.head = new nn.Linear(10, 1);
  }
}

describe('members register in assignment order, as Python\'s __setattr__', () => {
  const py = PY_ORDER as Record<string, any>;
  test('stateDict keys, parameters() order and repr', () => {
    torch.manualSeed(0);
    const m = new Model();
    expect(Object.keys(m.stateDict())).toEqual(py.keys);
    expect([...m.namedParameters()].map(([k]) => k)).toEqual(py.params);
    expect(String(m)).toBe(py.repr);
    expect([...m.parameters()].map((p) => p.shape)).toEqual(py.opt); // an optimizer's parameter indices
    expect(m.encoder.weight.index(0).tolist()).toEqual(py.first);
    const copy = nn.deepcopy(m);
    expect([Object.keys(copy.stateDict()), String(copy)]).toEqual([py.keys, py.repr]);
  });
});

// ---- 3. Python's __setattr__ rules -----------------------------------------------------------------
describe('assigning to a parameter, child or buffer name follows Python', () => {
  const cases: [string, () => unknown][] = [
    ['lin.weight = torch.zeros(3, 3)', () => ((new nn.Linear(3, 3) as unknown as Record<string, unknown>).weight = torch.zeros(3, 3))],
    ['lin.weight = 5', () => ((new nn.Linear(3, 3) as unknown as Record<string, unknown>).weight = 5)],
    ['lin.weight = torch.zeros(3, dtype=torch.int64)', () => ((new nn.Linear(3, 3) as unknown as Record<string, unknown>).weight = torch.zeros(3, { dtype: torch.int64 }))],
    ['seq.fc = torch.zeros(1)', () => ((new nn.Sequential(new Map([['fc', new nn.Linear(1, 1)]])) as unknown as Record<string, unknown>).fc = torch.zeros(1))],
    ['bn.running_mean = 5', () => ((new nn.BatchNorm1d(3) as unknown as Record<string, unknown>).running_mean = 5)],
    ["lin.register_parameter('bias2', lin.bias) or lin.register_buffer('bias2', torch.zeros(1))", () => {
      const lin = new nn.Linear(3, 3);
      lin.registerParameter('bias2', lin.bias);
      lin.registerBuffer('bias2', torch.zeros(1));
    }],
    ["lin.add_module('weight', nn.ReLU())", () => new nn.Linear(3, 3).addModule('weight', new nn.ReLU())],
  ];
  const expected = pythonErrors(
    cases.map(([code]) => (code.includes(' = ') && !code.startsWith('lin.register') ? `exec(${JSON.stringify(code)})` : code)),
    { prelude: 'from torch import nn\nfrom collections import OrderedDict\nlin = nn.Linear(3, 3)\nseq = nn.Sequential(OrderedDict(fc=nn.Linear(1, 1)))\nbn = nn.BatchNorm1d(3)' },
  );
  cases.forEach(([code, run], i) => {
    test(code, () => {
      expect(run).toThrow(torch.TorchError);
      expect(message(run)).toBe(expected[i].replace(/^"(.*)"$/, '$1')); // str(KeyError) quotes its text
    });
  });

  const py = runPython<Record<string, unknown>>(`
from torch import nn
lin = nn.Linear(3, 2)
lin.weight = None
none = dict(params=[k for k, _ in lin.named_parameters()], keys=list(lin.state_dict().keys()),
            err=err(lambda: setattr(lin, 'weight', torch.zeros(2, 3))))
lin.weight = nn.Parameter(torch.ones(2, 3))
back = [k for k, _ in lin.named_parameters()]
bn = nn.BatchNorm1d(3)
bn.running_mean = torch.ones(3)
buf = dict(keys=list(bn.state_dict().keys()), mean=bn.state_dict()['running_mean'].tolist())
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer('buf', torch.zeros(2))
        self.register_buffer('tmp', torch.zeros(1), persistent=False)
m = M()
del m.buf
m.buf = torch.ones(2)
m.tmp = torch.ones(1)
plain = dict(buffers=[k for k, _ in m.named_buffers()], keys=list(m.state_dict().keys()))
m2 = M()
m2.buf = nn.Parameter(torch.ones(2))
moved = dict(params=[k for k, _ in m2.named_parameters()], buffers=[k for k, _ in m2.named_buffers()])
result = dict(none=none, back=back, buf=buf, plain=plain, moved=moved)
`) as Record<string, any>;

  test('null keeps a parameter registered as None (Python\'s None parameter)', () => {
    const lin = new nn.Linear(3, 2);
    (lin as unknown as { weight: nn.Parameter | null }).weight = null;
    expect([...lin.namedParameters()].map(([k]) => k)).toEqual(py.none.params);
    expect(Object.keys(lin.stateDict())).toEqual(py.none.keys);
    expect(message(() => ((lin as unknown as Record<string, unknown>).weight = torch.zeros(2, 3)))).toBe(py.none.err);
    lin.weight = new nn.Parameter(torch.ones(2, 3));
    expect([...lin.namedParameters()].map(([k]) => k)).toEqual(py.back);
  });
  test('a tensor assigned to a buffer replaces it; delete m.buf, then m.buf = t, is a plain attribute; a Parameter moves a buffer name to the parameters', () => {
    const bn = new nn.BatchNorm1d(3);
    bn.running_mean = torch.ones(3);
    const sd = bn.stateDict();
    expect(Object.keys(sd)).toEqual(py.buf.keys);
    expect(sd['running_mean'].tolist()).toEqual(py.buf.mean);
    class M extends nn.Module {
      declare buf: Tensor;
      declare tmp: Tensor;
      constructor() {
        super();
        this.registerBuffer('buf', torch.zeros(2));
        this.registerBuffer('tmp', torch.zeros(1), { persistent: false });
      }
    }
    const m = new M();
    delete (m as { buf?: Tensor }).buf;
    m.buf = torch.ones(2);
    m.tmp = torch.ones(1);
    expect([...m.namedBuffers()].map(([k]) => k)).toEqual(py.plain.buffers);
    expect(Object.keys(m.stateDict())).toEqual(py.plain.keys);
    const m2 = new M();
    (m2 as unknown as Record<string, unknown>).buf = new nn.Parameter(torch.ones(2));
    expect([[...m2.namedParameters()].map(([k]) => k), [...m2.namedBuffers()].map(([k]) => k)]).toEqual([py.moved.params, py.moved.buffers]);
  });
});

// ---- 4. nn.init by keyword -------------------------------------------------------------------------
describe('nn.init takes its parameters by keyword, as Python', () => {
  // [Python call on w (3x5; w4 is 4x2x3 for dirac_), the same call here]
  const rows: [string, (w: Tensor, w4: Tensor) => unknown][] = [
    ['init.normal_(w, mean=1, std=0.5)', (w) => init.normal_(w, { mean: 1, std: 0.5 })],
    ['init.uniform_(w, a=-2, b=3)', (w) => init.uniform_(w, { a: -2, b: 3 })],
    ['init.uniform_(w, b=0.5)', (w) => init.uniform_(w, { b: 0.5 })],
    ['init.constant_(w, val=0.3)', (w) => init.constant_(w, { val: 0.3 })],
    ['init.ones_(tensor=w)', (w) => init.ones_({ tensor: w })],
    ['init.zeros_(tensor=w)', (w) => init.zeros_({ tensor: w })],
    ['init.eye_(tensor=w)', (w) => init.eye_({ tensor: w })],
    ['init.dirac_(w4, groups=2)', (_, w4) => init.dirac_(w4, { groups: 2 })],
    ['init.xavier_uniform_(w, gain=2)', (w) => init.xavierUniform_(w, { gain: 2 })],
    ['init.xavier_normal_(w, gain=0.5)', (w) => init.xavierNormal_(w, { gain: 0.5 })],
    ["init.kaiming_uniform_(w, 0.2, 'fan_out')", (w) => init.kaimingUniform_(w, 0.2, 'fan_out')],
    ["init.kaiming_normal_(w, 0.2, mode='fan_out')", (w) => init.kaimingNormal_(w, 0.2, { mode: 'fan_out' })],
    ["init.kaiming_normal_(w, 0.1, 'fan_out', 'relu')", (w) => init.kaimingNormal_(w, 0.1, 'fan_out', 'relu')],
    ['init.trunc_normal_(w, std=0.02, a=-0.03)', (w) => init.truncNormal_(w, { std: 0.02, a: -0.03 })],
    ['init.orthogonal_(w, gain=1.5)', (w) => init.orthogonal_(w, { gain: 1.5 })],
    ['init.sparse_(w, sparsity=0.4, std=0.5)', (w) => init.sparse_(w, { sparsity: 0.4, std: 0.5 })],
  ];
  const py = runPython<number[][][]>(`
from torch.nn import init
def run(code):
    torch.manual_seed(0)
    w = torch.empty(3, 5)
    w4 = torch.empty(4, 2, 3)
    eval(code)
    return (w4 if 'w4' in code else w).tolist()
result = [run(c) for c in ${JSON.stringify(rows.map((r) => r[0]))}]
`);
  rows.forEach(([code, run], i) => {
    test(code, () => {
      torch.manualSeed(0);
      const w = torch.empty(3, 5);
      const w4 = torch.empty(4, 2, 3);
      expect(run(w, w4)).toBe(code.includes('w4') ? w4 : w);
      expect((code.includes('w4') ? w4 : w).tolist()).toEqual(py[i]);
    });
  });

  test('calculateGain(nonlinearity, { param })', () => {
    const gains = runPython<number[]>(`result = [torch.nn.init.calculate_gain('leaky_relu', param=0.2), torch.nn.init.calculate_gain(nonlinearity='tanh'), torch.nn.init.calculate_gain('leaky_relu', 0.3)]`);
    expect([init.calculateGain('leaky_relu', { param: 0.2 }), init.calculateGain({ nonlinearity: 'tanh' }), init.calculateGain('leaky_relu', 0.3)]).toEqual(gains);
  });

  // Python's TypeErrors; the messages name the function as called here (xavierUniform_ for xavier_uniform_)
  const errors: [string, () => unknown][] = [
    ['init.normal_(w, foo=1)', () => init.normal_(torch.empty(3, 5), { foo: 1 } as never)],
    ['init.constant_(w)', () => (init.constant_ as unknown as (w: Tensor) => Tensor)(torch.empty(3, 5))],
    ['init.uniform_(w, 0, a=1)', () => init.uniform_(torch.empty(3, 5), 0, { a: 1 } as never)],
    ['init.uniform_(w, 0, 1, 2)', () => (init.uniform_ as (...a: unknown[]) => Tensor)(torch.empty(3, 5), 0, 1, 2)],
    ['init.sparse_(w)', () => (init.sparse_ as unknown as (w: Tensor) => Tensor)(torch.empty(3, 5))],
    ['init.xavier_uniform_(w, gian=2)', () => init.xavierUniform_(torch.empty(3, 5), { gian: 2 } as never)],
    ['init.kaiming_normal_(w, 0, mode=1, a=2)', () => init.kaimingNormal_(torch.empty(3, 5), 0, { mode: 'fan_in', a: 2 } as never)],
    ['init.dirac_(w4, groups=2, group=1)', () => init.dirac_(torch.empty(4, 2, 3), { groups: 2, group: 1 } as never)],
    ["init.calculate_gain('relu', parm=1)", () => init.calculateGain('relu', { parm: 1 } as never)],
    ['init.eye_(w, w)', () => (init.eye_ as (...a: unknown[]) => Tensor)(torch.empty(3, 3), torch.empty(3, 3))],
  ];
  const expected = pythonErrors(errors.map(([c]) => c), { prelude: 'from torch.nn import init\nw = torch.empty(3, 5)\nw4 = torch.empty(4, 2, 3)' });
  const jsName = (text: string) => text.replace(/^(\w+)\(\)/, (_, n: string) => `${n.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}()`);
  errors.forEach(([code, run], i) => {
    test(`error: ${code}`, () => {
      expect(run).toThrow(torch.TorchError);
      expect(message(run)).toBe(jsName(expected[i]));
    });
  });
});

// ---- 5. Transformer.generateSquareSubsequentMask(sz, { device }) -----------------------------------
describe('Transformer.generateSquareSubsequentMask as 1.13 (sz, device="cpu")', () => {
  const py = runPython<Record<string, unknown>>(`
from torch import nn
T = nn.Transformer
ms = [T.generate_square_subsequent_mask(3, device='cpu'), T.generate_square_subsequent_mask(sz=4), T.generate_square_subsequent_mask(2, 'cpu')]
result = dict(masks=[[m.isinf().tolist(), m.masked_fill(m.isinf(), 7).tolist(), str(m.dtype), str(m.device)] for m in ms],
              err=err(lambda: T.generate_square_subsequent_mask(3, dtype=torch.float64)),
              missing=err(lambda: T.generate_square_subsequent_mask()))
`) as Record<string, any>;
  const T = nn.Transformer;
  test('by keyword and positionally', () => {
    const ms = [T.generateSquareSubsequentMask(3, { device: 'cpu' }), T.generateSquareSubsequentMask({ sz: 4 }), T.generateSquareSubsequentMask(2, 'cpu')];
    expect(ms.map((m) => [m.isinf().tolist(), m.maskedFill(m.isinf(), 7).tolist(), String(m.dtype), String(m.device)])).toEqual(py.masks);
  });
  test("1.13 has no dtype; sz is required", () => {
    const rename = (t: string) => t.replace('generate_square_subsequent_mask', 'generateSquareSubsequentMask');
    expect(message(() => T.generateSquareSubsequentMask(3, { dtype: torch.float64 } as never))).toBe(rename(py.err));
    expect(message(() => (T.generateSquareSubsequentMask as () => Tensor)())).toBe(rename(py.missing));
  });
});

// ---- 6. F.affineGrid(theta, { size, alignCorners }) ------------------------------------------------
describe('F.affineGrid takes size by keyword', () => {
  const py = runPython<Record<string, unknown>>(`
import torch.nn.functional as F
theta = torch.tensor([[[1.0, 0.5, 0.0], [0.0, 1.0, 0.25]]])
result = dict(kw=F.affine_grid(theta, size=[1, 1, 2, 3], align_corners=False).tolist(),
              all=F.affine_grid(theta=theta, size=[1, 1, 2, 3], align_corners=True).tolist(),
              pos=F.affine_grid(theta, [1, 1, 2, 3], False).tolist(),
              missing=err(lambda: F.affine_grid(theta, align_corners=False)),
              twice=err(lambda: F.affine_grid(theta, [1, 1, 2, 3], size=[1, 1, 2, 3])))
`) as Record<string, any>;
  const theta = () => torch.tensor([[[1.0, 0.5, 0.0], [0.0, 1.0, 0.25]]]);
  test('size and alignCorners by keyword, positionally, theta too', () => {
    expect(F.affineGrid(theta(), { size: [1, 1, 2, 3], alignCorners: false }).tolist()).toEqual(py.kw);
    expect(F.affineGrid({ theta: theta(), size: [1, 1, 2, 3], alignCorners: true }).tolist()).toEqual(py.all);
    expect(F.affineGrid(theta(), [1, 1, 2, 3], false).tolist()).toEqual(py.pos);
  });
  test("Python's missing / multiple-values errors", () => {
    const rename = (t: string) => t.replace('affine_grid', 'affineGrid');
    expect(message(() => F.affineGrid(theta(), { alignCorners: false } as never))).toBe(rename(py.missing));
    expect(message(() => (F.affineGrid as (...a: unknown[]) => Tensor)(theta(), [1, 1, 2, 3], { size: [1, 1, 2, 3] }))).toBe(rename(py.twice));
  });
});
