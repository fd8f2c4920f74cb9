// tensor.gradFn as a node of the autograd graph (Python's tensor.grad_fn, torch.autograd.graph.Node),
// against real PyTorch: names along nextFunctions from a small network's loss, inputNr values, null
// entries for inputs that do not require grad, AccumulateGrad.variable being the parameter itself,
// the repr, identity between getters, and node hooks (register_hook / register_prehook).
import { inspect } from 'util';
import * as torch from '../lib';
import { native } from '../lib/native';
import { runPython } from './helpers/python';

const { nn } = torch;
type GradFn = torch.GradFn;
const leaf = (data: number[]): torch.Tensor => torch.tensor(data, { dtype: torch.float32, requiresGrad: true });

// One tree per node: Python's node.name(), type(node).__name__, the parameter an AccumulateGrad
// holds (by name) and next_functions as [subtree | null, input_nr].
type Dump = { name: string; type: string; variable?: string | null; next: [Dump | null, number][] };

const PY_DUMP = `
import re
def dump(fn, params):
    if fn is None:
        return None
    d = dict(name=fn.name(), type=type(fn).__name__,
             next=[[dump(f, params), nr] for f, nr in fn.next_functions])
    if hasattr(fn, 'variable'):
        d['variable'] = next((n for n, p in params if p is fn.variable), None)
    return d
def shape(fn):
    return re.sub(r'0x[0-9a-f]+', '0xADDR', str(fn))
`;

function dump(fn: GradFn | null, params: [string, torch.Tensor][]): Dump | null {
  if (fn === null) return null;
  const d: Dump = {
    name: fn.name(),
    type: fn.name().split('::').pop()!,
    next: fn.nextFunctions.map(([f, nr]) => [dump(f, params), nr] as [Dump | null, number]),
  };
  const v = fn.variable;
  if (v !== undefined) d.variable = params.find(([, p]) => v.isSetTo(p))?.[0] ?? null;
  return d;
}

const shape = (fn: unknown): string => String(fn).replace(/0x[0-9a-f]+/g, '0xADDR');

class Net extends nn.Module {
  fc1 = new nn.Linear(3, 5);
  fc2 = new nn.Linear(5, 2);
  forward(x: torch.Tensor): torch.Tensor {
    return this.fc2.forward(torch.relu(this.fc1.forward(x)));
  }
}

const X = [[0.5, -1.2, 0.3], [1.1, 0.2, -0.7], [0.0, 0.4, 2.0], [-0.3, 0.8, 0.1]];
const T = [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6], [-0.7, 0.8]];

function netLoss(): { net: Net; loss: torch.Tensor } {
  torch.manualSeed(0);
  const net = new Net();
  const loss = new nn.MSELoss().forward(net.forward(torch.tensor(X)), torch.tensor(T));
  return { net, loss };
}

describe('tensor.gradFn against PyTorch', () => {
  const py = runPython<Record<string, unknown>>(`${PY_DUMP}
torch.manual_seed(0)
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(3, 5)
        self.fc2 = torch.nn.Linear(5, 2)
    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))
net = Net()
loss = torch.nn.MSELoss()(net(torch.tensor(${JSON.stringify(X)})), torch.tensor(${JSON.stringify(T)}))
params = list(net.named_parameters())
w = torch.tensor([1., 2., 3., 4.], requires_grad=True)
a, b = w.chunk(2)
m = (a * b).sum()
acc = loss.grad_fn.next_functions[0][0].next_functions[0][0]
result = dict(
    tree=dump(loss.grad_fn, params),
    chunk=dump(m.grad_fn, [('w', w)]),
    lossRepr=shape(loss.grad_fn), accRepr=shape(acc), tensorRepr=str(m),
    accName=acc.name(), accIsBias=acc.variable is net.fc2.bias,
    leafFn=w.grad_fn, detachedFn=loss.detach().grad_fn, noGradFn=torch.ones(2).grad_fn,
    sameSplit=m.grad_fn.next_functions[0][0].next_functions[0][0] is m.grad_fn.next_functions[0][0].next_functions[1][0])
`);

  test('names, inputNr values and null entries along nextFunctions equal Python', () => {
    const { net, loss } = netLoss();
    const tree = dump(loss.gradFn, [...net.namedParameters()]);
    expect(tree).toEqual(py.tree);
    // spot checks, so a failure reads well
    expect(loss.gradFn!.name()).toBe('MseLossBackward0');
    const addmm = loss.gradFn!.nextFunctions[0][0]!;
    expect(addmm.name()).toBe('AddmmBackward0');
    expect(loss.gradFn!.nextFunctions[1]).toEqual([null, 0]); // the target does not require grad
  });

  test('inputNr of a node with several outputs (chunk), and one object for that node', () => {
    const w = leaf([1, 2, 3, 4]);
    const [a, b] = w.chunk(2);
    const m = a.mul(b).sum();
    expect(dump(m.gradFn, [['w', w]])).toEqual(py.chunk);
    const mul = m.gradFn!.nextFunctions[0][0]!;
    const [[s0, n0], [s1, n1]] = mul.nextFunctions;
    expect([n0, n1]).toEqual([0, 1]);
    expect(s0).toBe(s1);
    expect(py.sameSplit).toBe(true);
    expect(String(m)).toBe(py.tensorRepr);
  });

  test('AccumulateGrad: name() as in Python, variable is the parameter itself', () => {
    const { net, loss } = netLoss();
    const acc = loss.gradFn!.nextFunctions[0][0]!.nextFunctions[0][0]!;
    expect(acc.name()).toBe(py.accName);
    expect(acc.name()).toBe('torch::autograd::AccumulateGrad');
    expect(acc.nextFunctions).toEqual([]);
    const v = acc.variable!;
    expect(py.accIsBias).toBe(true);
    expect(v.isSetTo(net.fc2.bias!)).toBe(true);
    expect(v.isLeaf).toBe(true);
    expect(v.requiresGrad).toBe(true);
    expect(v.tolist()).toEqual(net.fc2.bias!.tolist());
    // the same tensor, not a copy: writing through it changes the parameter
    torch.noGrad(() => v.add_(1));
    expect(net.fc2.bias!.tolist()).toEqual(v.tolist());
    // other nodes have no variable (Python: AttributeError)
    expect(loss.gradFn!.variable).toBeUndefined();
  });

  test('repr: <Name object at 0x...>, from String() and console.log/inspect', () => {
    const { loss } = netLoss();
    const fn = loss.gradFn!;
    expect(String(fn)).toMatch(/^<MseLossBackward0 object at 0x[0-9a-f]+>$/);
    expect(shape(fn)).toBe(py.lossRepr);
    expect(inspect(fn)).toBe(String(fn));
    expect(`${fn}`).toBe(String(fn));
    const acc = fn.nextFunctions[0][0]!.nextFunctions[0][0]!;
    expect(shape(acc)).toBe(py.accRepr);
    expect(inspect({ fn: acc })).toBe(`{ fn: ${String(acc)} }`);
  });

  test('a custom Function prints as Python prints it: torch.autograd.function.<Name>', () => {
    class MyExp extends torch.autograd.Function {
      static forward(_ctx: torch.autograd.FunctionCtx, x: torch.Tensor): torch.Tensor {
        return x.exp();
      }
      static backward(_ctx: torch.autograd.FunctionCtx, g: torch.Tensor): torch.Tensor {
        return g;
      }
    }
    const expected = runPython<string>(`${PY_DUMP}
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.exp()
    @staticmethod
    def backward(ctx, g):
        return g
result = shape(MyExp.apply(torch.ones(2, requires_grad=True)).grad_fn)
`);
    const y = MyExp.apply(torch.ones([2], { requiresGrad: true }));
    expect(shape(y.gradFn)).toBe(expected);
    expect(y.gradFn!.name()).toBe('MyExpBackward');
    expect(y.gradFn!.nextFunctions[0][0]!.name()).toBe('torch::autograd::AccumulateGrad');
  });

  test('leaves, detached tensors and tensors outside the graph have gradFn null', () => {
    const w = leaf([1, 2]);
    expect(w.gradFn).toBeNull();
    expect(py.leafFn).toBeNull();
    expect(w.mul(2).detach().gradFn).toBeNull();
    expect(py.detachedFn).toBeNull();
    expect(torch.ones([2]).gradFn).toBeNull();
    expect(py.noGradFn).toBeNull();
    expect(torch.noGrad(() => w.mul(2)).gradFn).toBeNull();
  });

  test('identity: two getters give the same object, as Python\'s `is`', () => {
    const w = leaf([1, 2]);
    const y = w.mul(2);
    const z = y.relu();
    expect(y.gradFn).toBe(y.gradFn);
    expect(z.gradFn!.nextFunctions[0][0]).toBe(y.gradFn);
    expect(String(z.gradFn!.nextFunctions[0][0])).toBe(String(y.gradFn));
    expect(y.gradFn).not.toBe(z.gradFn);
    expect(y.gradFn).toBeInstanceOf(torch.autograd.graph.Node);
    // an in-place op gives the tensor a new node
    const before = y.gradFn;
    y.add_(1);
    expect(y.gradFn).not.toBe(before);
    expect(y.gradFn!.name()).toBe('AddBackward0');
    expect(y.gradFn!.nextFunctions[0][0]).toBe(before);
  });

  test('nodes are not made by hand', () => {
    const Node = torch.autograd.graph.Node as unknown as new () => unknown;
    expect(() => new Node()).toThrow(torch.TorchError);
  });
});

describe('graph node hooks', () => {
  const py = runPython<Record<string, unknown>>(`
x = torch.tensor([1., 2.], requires_grad=True)
z = (x * x).sum()
seen = []
def hook(gi, go):
    seen.append([[g.tolist() if g is not None else None for g in gi], [g.tolist() for g in go]])
    return (gi[0] * 10,)
z.grad_fn.register_hook(hook)
z.backward()
post = x.grad.tolist()
x.grad = None
z = (x * x).sum()
mul = z.grad_fn.next_functions[0][0]
pre_seen = []
def pre(go):
    pre_seen.append([g.tolist() for g in go])
    return (go[0] * 3,)
mul.register_prehook(pre)
z.backward()
result = dict(seen=seen, post=post, preSeen=pre_seen, pre=x.grad.tolist())
`);

  function run(): Record<string, unknown> {
    const x = leaf([1, 2]);
    let z = x.mul(x).sum();
    const seen: unknown[] = [];
    z.gradFn!.registerHook((gi, go) => {
      seen.push([gi.map((g) => (g === null ? null : g.tolist())), go.map((g) => g!.tolist())]);
      return [gi[0]!.mul(10)];
    });
    z.backward();
    const post = x.grad!.tolist();
    x.grad = null;
    z = x.mul(x).sum();
    const mul = z.gradFn!.nextFunctions[0][0]!;
    const preSeen: unknown[] = [];
    mul.registerPrehook((go) => {
      preSeen.push(go.map((g) => g!.tolist()));
      return [go[0]!.mul(3)];
    });
    z.backward();
    return { seen, post, preSeen, pre: x.grad!.tolist() };
  }

  test('registerHook(gradInputs, gradOutputs) and registerPrehook(gradOutputs) as in Python', () => {
    expect(run()).toEqual(py);
  });

  test('the same through the engine on a helper thread', () => {
    native.setEngineOnHelperThread(true);
    try {
      expect(run()).toEqual(py);
    } finally {
      native.setEngineOnHelperThread(false);
    }
  });

  test('remove(), a wrong number of gradients, and errors thrown by a hook', () => {
    const x = leaf([1, 2]);
    let calls = 0;
    let z = x.mul(x).sum();
    const handle = z.gradFn!.registerHook(() => {
      calls++;
      return [null];
    });
    handle.remove();
    z.backward();
    expect(calls).toBe(0);
    expect(x.grad!.tolist()).toEqual([2, 4]);

    z = x.mul(x).sum();
    z.gradFn!.registerHook((gi) => [gi[0], gi[0]]);
    expect(() => z.backward()).toThrow(/incorrect number of values \(got 2, but expected 1\)/);

    z = x.mul(x).sum();
    const boom = new Error('boom');
    z.gradFn!.registerHook(() => {
      throw boom;
    });
    expect(() => z.backward()).toThrow(boom);
  });
});
