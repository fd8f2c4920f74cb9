// Module APIs of PyTorch 2.x: loadStateDict's `assign` (2.1) and the forward hooks' `withKwargs` /
// `alwaysCall` (2.0), against 2.x's protocol written on PyTorch 1.13 (test/helpers/v2_reference.py:
// load_state_dict_assign, call_with_hooks). In JS a call's keyword arguments are its trailing options
// object, so that is the kwargs a withKwargs hook sees.
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';
import { message } from './helpers/error-oracle';

const HELPERS = path.join(__dirname, 'helpers');

interface Member {
  dtype: string;
  requiresGrad: boolean;
  parameter: boolean;
  values: number[];
  shared: boolean;
}
interface PyResults {
  sd: Record<string, number[]>;
  assigned: Record<string, Member>;
  copied: Record<string, string>;
  hooks: { log: string[]; out: number[] };
  always: { log: string[]; error: string };
  badPreHook: string;
}

const PY = runPython<PyResults>(`
import sys
sys.path.insert(0, ${JSON.stringify(HELPERS)})
from v2_reference import load_state_dict_assign, call_with_hooks
from torch import nn

def model():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    m[0].bias.requires_grad_(False)
    return m
torch.manual_seed(0)
sd = {k: torch.randn(v.shape, dtype=torch.float64) if v.is_floating_point() else v + 4 for k, v in model().state_dict().items()}
m = model()
load_state_dict_assign(m, sd)
members = dict(m.named_parameters()); members.update(dict(m.named_buffers()))
assigned = {k: dict(dtype=str(v.dtype), requiresGrad=v.requires_grad, parameter=isinstance(v, nn.Parameter),
                    values=v.detach().reshape(-1).tolist(), shared=v.data_ptr() == sd[k].data_ptr()) for k, v in members.items()}
c = model(); c.load_state_dict(sd)
copied = {k: str(v.dtype) for k, v in c.state_dict().items()}

class Scale(nn.Module):
    def forward(self, x, scale=1.0):
        if scale < 0:
            raise ValueError('negative scale')
        return x * scale
log = []
def pre0(mod, args): log.append('pre0 %d' % len(args))
def pre1(mod, args, kwargs):
    log.append('pre1 %s' % sorted(kwargs))
    return args, dict(kwargs, scale=kwargs.get('scale', 1.0) * 2)
def hook1(mod, args, kwargs, out):
    log.append('hook1 scale=%s' % kwargs['scale'])
    return out + 1
def hook2(mod, args, out): log.append('hook2 %d' % len(args))
x = torch.tensor([1.0, 2.0])
out = call_with_hooks(Scale(), (x,), {'scale': 3.0}, [(pre0, False), (pre1, True)], [(hook1, True, False), (hook2, False, False)], log)
hooks = dict(log=log, out=out.tolist())

log2 = []
def a1(mod, args, out): log2.append('a1 output None: %s' % (out is None))
def n2(mod, args, out): log2.append('n2')
def a3(mod, args, kwargs, out): raise RuntimeError('always-call hook failed too')
error = err(lambda: call_with_hooks(Scale(), (x,), {'scale': -1.0}, [], [(a1, False, True), (n2, False, False), (a3, True, True)], log2))
bad = err(lambda: call_with_hooks(Scale(), (x,), {}, [(lambda m, a, k: 5, True)], [], []))
result = dict(sd={k: v.reshape(-1).tolist() for k, v in sd.items()}, assigned=assigned, copied=copied,
              hooks=hooks, always=dict(log=log2, error=error), badPreHook=bad)
`);

function model(): nn.Sequential {
  const m = new nn.Sequential(new nn.Linear(2, 3), new nn.BatchNorm1d(3));
  (m.at(0) as nn.Linear).bias!.requiresGrad_(false);
  return m;
}

function stateDict(like: nn.Module): Record<string, torch.Tensor> {
  const sd: Record<string, torch.Tensor> = {};
  for (const [k, v] of Object.entries(like.stateDict())) {
    sd[k] = torch.tensor(PY.sd[k], { dtype: v.isFloatingPoint() ? torch.float64 : v.dtype }).reshape(v.shape);
  }
  return sd;
}

function members(m: nn.Module): Map<string, torch.Tensor> {
  return new Map<string, torch.Tensor>([...m.namedParameters(), ...m.namedBuffers()]);
}

describe('loadStateDict(sd, { assign }) (2.1)', () => {
  test('the state_dict\'s tensors become the members: dtype, storage, Parameter-ness, requiresGrad as 2.1', () => {
    const m = model();
    const sd = stateDict(m);
    m.loadStateDict(sd, { assign: true });
    const got = members(m);
    expect([...got.keys()].sort()).toEqual(Object.keys(PY.assigned).sort());
    for (const [k, v] of got) {
      const want = PY.assigned[k];
      expect({ k, dtype: String(v.dtype), requiresGrad: v.requiresGrad, parameter: v instanceof nn.Parameter, shared: v.dataPtr() === sd[k].dataPtr() })
        .toEqual({ k, dtype: want.dtype, requiresGrad: want.requiresGrad, parameter: want.parameter, shared: want.shared });
      expect(v.detach().reshape(-1).tolist()).toEqual(want.values);
    }
  });
  test('positionally (sd, strict, assign), and the assigned model still trains', () => {
    const m = model();
    m.loadStateDict(stateDict(m), true, true);
    expect(String((m.at(0) as nn.Linear).weight.dtype)).toBe(PY.assigned['0.weight'].dtype);
    const y = m(torch.ones([4, 2], { dtype: torch.float64 })) as torch.Tensor;
    y.sum().backward();
    expect((m.at(0) as nn.Linear).weight.grad).not.toBeNull();
  });
  test('without assign the values are copied into the module\'s own dtype, as before', () => {
    const m = model();
    m.loadStateDict(stateDict(m));
    const got = Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, String(v.dtype)]));
    expect(got).toEqual(PY.copied);
  });
});

class Scale extends nn.Module {
  forward(x: torch.Tensor, { scale = 1.0 }: { scale?: number } = {}): torch.Tensor {
    if (scale < 0) throw new torch.ValueError('negative scale');
    return x.mul(scale);
  }
}

describe('forward hooks withKwargs / alwaysCall (2.0)', () => {
  const x = torch.tensor([1.0, 2.0]);
  test('withKwargs pre-hook and hook see the options object as kwargs; prepend orders them', () => {
    const log: string[] = [];
    const m = new Scale();
    m.registerForwardPreHook((_, args, kwargs) => {
      log.push(`pre1 ${JSON.stringify(Object.keys(kwargs).sort()).replace(/"/g, "'").replace(/,/g, ', ')}`);
      return [args, { ...kwargs, scale: ((kwargs.scale as number) ?? 1.0) * 2 }];
    }, { withKwargs: true });
    m.registerForwardPreHook((_, args) => void log.push(`pre0 ${args.length}`), { prepend: true });
    m.registerForwardHook((_, args, kwargs, out) => {
      log.push(`hook1 scale=${(kwargs.scale as number).toFixed(1)}`);
      return (out as torch.Tensor).add(1);
    }, { withKwargs: true });
    m.registerForwardHook((_, args) => void log.push(`hook2 ${args.length}`));
    const out = m(x, { scale: 3.0 });
    expect(out.tolist()).toEqual(PY.hooks.out);
    // a plain hook sees the JS arguments, options object included (1.13's behaviour here)
    expect(log).toEqual(PY.hooks.log.map((l) => (l.startsWith('pre0') || l.startsWith('hook2') ? l.replace(/\d+$/, '2') : l)));
  });
  test('alwaysCall hooks run with output null when forward raises; their own errors become warnings', () => {
    const log: string[] = [];
    const warnings: string[] = [];
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => void warnings.push(String(w)));
    try {
      const m = new Scale();
      m.registerForwardHook((_, __, out) => void log.push(`a1 output None: ${out === null ? 'True' : 'False'}`), { alwaysCall: true });
      m.registerForwardHook(() => void log.push('n2'));
      m.registerForwardHook(() => {
        throw new torch.TorchError('always-call hook failed too');
      }, { withKwargs: true, alwaysCall: true });
      const call = () => m(x, { scale: -1.0 });
      expect(message(call)).toBe(PY.always.error);
      expect(log).toEqual(PY.always.log.filter((l) => !l.startsWith('warning')));
      expect(call).toThrow(torch.ValueError);
    } finally {
      emit.mockRestore();
    }
    const silenced = PY.always.log.filter((l) => l.startsWith('warning')).map((l) => l.slice('warning: '.length));
    expect(warnings.filter((w) => w.includes('``always_call=True`` raised an exception that was silenced')).map((w) => w.split(': ').pop())).toEqual(silenced);
  });
  test('a withKwargs pre-hook returning something else than [args, kwargs] is 2.0\'s error', () => {
    const m = new Scale();
    m.registerForwardPreHook(() => 5 as unknown as undefined, { withKwargs: true });
    expect(message(() => m(x))).toBe(PY.badPreHook);
  });
  test('removing the handle removes the hook', () => {
    const m = new Scale();
    const seen: number[] = [];
    const h = m.registerForwardHook(() => void seen.push(1), { withKwargs: true, alwaysCall: true });
    m(x);
    h.remove();
    m(x);
    expect(seen).toEqual([1]);
  });
});
