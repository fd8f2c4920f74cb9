// Whole-module torch.save / torch.load of lazy modules (nn.LazyLinear, ...) against PyTorch 1.13, both
// ways: saved before their first forward (UninitializedParameters and Python's lazy hooks) they load
// still lazy, initialise on their first forward and turn into the concrete class; saved after it they
// are that class. Outputs are compared after loading the initialised copy's state_dict.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { Module } from '../lib/nn/module';
import { runPython } from './helpers/python';

interface LazySpec {
  py: string;
  js: () => Module;
  input: number[];
  /** the class the lazy module turns into (its outermost layer for a Sequential) */
  becomes: string;
}

const SPECS: LazySpec[] = [
  { py: 'nn.LazyLinear(3)', js: () => new nn.LazyLinear(3), input: [2, 4], becomes: 'Linear' },
  { py: 'nn.LazyLinear(3, bias=False)', js: () => new nn.LazyLinear(3, false), input: [2, 5], becomes: 'Linear' },
  { py: 'nn.LazyConv2d(4, 3, padding=1)', js: () => new nn.LazyConv2d(4, 3, { padding: 1 }), input: [1, 2, 5, 5], becomes: 'Conv2d' },
  { py: 'nn.LazyConvTranspose1d(3, 2, stride=2)', js: () => new nn.LazyConvTranspose1d(3, 2, { stride: 2 }), input: [1, 2, 6], becomes: 'ConvTranspose1d' },
  { py: 'nn.LazyBatchNorm1d()', js: () => new nn.LazyBatchNorm1d(), input: [4, 3], becomes: 'BatchNorm1d' },
  { py: 'nn.LazyInstanceNorm2d(affine=True, track_running_stats=True)', js: () => new nn.LazyInstanceNorm2d({ affine: true, trackRunningStats: true }), input: [2, 3, 4, 4], becomes: 'InstanceNorm2d' },
  {
    py: 'nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.LazyLinear(2))',
    js: () => new nn.Sequential(new nn.LazyLinear(4), new nn.ReLU(), new nn.LazyLinear(2)),
    input: [3, 5],
    becomes: 'Sequential',
  },
];

const PY = (dir: string): string => `
import warnings
from torch import nn
warnings.simplefilter('ignore')
SPECS = ${JSON.stringify(SPECS.map((s) => ({ py: s.py, input: s.input })))}
DIR = ${JSON.stringify(dir)}
def lazy_names(m):
    return sorted(n for n, p in list(m.named_parameters()) + list(m.named_buffers()) if nn.parameter.is_lazy(p))
# a bound method other than the lazy hooks: loading it must be refused (nothing runs code)
bound = nn.Linear(2, 2)
bound.fn = bound.extra_repr
torch.save(bound, f'{DIR}/bound.pt')
result = []
for i, s in enumerate(SPECS):
    r = {}
    # ours, loaded here: the lazy one initialises on its forward, then takes the initialised one's state
    b = torch.load(f'{DIR}/js-{i}.pt')
    lazy, init, x = b['lazy'], b['init'], b['x']
    r['lazyClass'] = type(lazy).__name__
    r['lazyNames'] = lazy_names(lazy)
    r['initClass'] = type(init).__name__
    r['initDiff'] = float((init(x) - b['out']).abs().max())
    lazy(x)
    lazy(x)  # the hook removed itself: a second forward runs as the concrete class
    r['afterClass'] = type(lazy).__name__
    r['afterNames'] = lazy_names(lazy)
    lazy.load_state_dict(init.state_dict())
    r['lazyDiff'] = float((lazy(x) - b['out']).abs().max())
    # a lazy one of ours takes a state_dict before any forward (its load hook materializes)
    fresh = torch.load(f'{DIR}/js-{i}.pt')['lazy']
    fresh.load_state_dict(init.state_dict())
    r['freshDiff'] = float((fresh(x) - b['out']).abs().max())
    # Python's, for the other direction
    torch.manual_seed(i)
    m = eval(s['py'])
    i0 = eval(s['py'])
    x = torch.randn(s['input'])
    out = i0(x)
    torch.save({'lazy': m, 'init': i0, 'x': x, 'out': out.detach()}, f'{DIR}/py-{i}.pt')
    result.append(r)
`;

function lazyNames(m: Module): string[] {
  return [...m.namedParameters(), ...m.namedBuffers()]
    .filter(([, t]) => nn.isLazy(t))
    .map(([n]) => n)
    .sort();
}

const maxDiff = (a: Tensor, b: Tensor): number => a.sub(b).abs().max().item() as number;

describe('whole lazy modules, both ways with Python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-lazy-'));
  const jsNames: string[][] = [];
  SPECS.forEach((s, i) => {
    torch.manualSeed(i);
    const lazy = s.js();
    const init = s.js();
    const x = torch.randn(s.input);
    const out = (init(x) as Tensor).detach();
    jsNames.push(lazyNames(lazy));
    torch.saveSync({ lazy, init, x, out }, path.join(dir, `js-${i}.pt`));
  });
  const py = runPython<Record<string, unknown>[]>(PY(dir));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses getattr of any method but the lazy hooks', () => {
    expect(() => torch.loadSync(path.join(dir, 'bound.pt'))).toThrow(/getattr is only allowed for the hook methods of lazy modules/);
  });

  SPECS.forEach((s, i) => {
    const lazyClass = s.becomes === 'Sequential' ? 'Sequential' : `Lazy${s.becomes}`;
    it(`${s.py}: ours loads in Python lazy, initialises there and matches`, () => {
      const r = py[i];
      expect(r.lazyClass).toBe(lazyClass);
      expect(r.lazyNames).toEqual(jsNames[i]);
      expect((r.lazyNames as string[]).length).toBeGreaterThan(0);
      expect(r.initClass).toBe(s.becomes);
      expect(r.afterClass).toBe(s.becomes);
      expect(r.afterNames).toEqual([]);
      expect(r.initDiff).toBeLessThan(1e-5);
      expect(r.lazyDiff).toBeLessThan(1e-5);
      expect(r.freshDiff).toBeLessThan(1e-5);
    });

    it(`${s.py}: Python's loads here lazy, initialises here and matches`, () => {
      const file = path.join(dir, `py-${i}.pt`);
      const b = torch.loadSync(file) as { lazy: Module; init: Module; x: Tensor; out: Tensor };
      expect(b.lazy.constructor.name).toBe(lazyClass);
      expect(lazyNames(b.lazy).length).toBeGreaterThan(0);
      expect(b.init.constructor.name).toBe(s.becomes);
      expect(maxDiff(b.init(b.x) as Tensor, b.out)).toBeLessThan(1e-5);
      b.lazy(b.x);
      b.lazy(b.x);
      expect(b.lazy.constructor.name).toBe(s.becomes);
      expect(lazyNames(b.lazy)).toEqual([]);
      b.lazy.loadStateDict(b.init.stateDict());
      expect(maxDiff(b.lazy(b.x) as Tensor, b.out)).toBeLessThan(1e-5);
      // before any forward, a state_dict materializes it
      const fresh = (torch.loadSync(file) as { lazy: Module }).lazy;
      fresh.loadStateDict(b.init.stateDict());
      expect(maxDiff(fresh(b.x) as Tensor, b.out)).toBeLessThan(1e-5);
      // and saved again (still lazy), Python's file round-trips through ours
      const again = torch.loadSync(torch.saveSync((torch.loadSync(file) as { lazy: Module }).lazy)) as Module;
      expect(again.constructor.name).toBe(lazyClass);
      expect(lazyNames(again)).toEqual(lazyNames((torch.loadSync(file) as { lazy: Module }).lazy));
      again(b.x);
      expect(lazyNames(again)).toEqual([]);
    });
  });
});
