// torch.amp.GradScaler on CPU tensors. PyTorch 1.13's GradScaler is CUDA-only, so the oracle is a
// hand-run in Python of its documented algorithm (scale the loss, unscale the grads by the float32
// reciprocal of the scale computed in double, skip the step on inf/NaN, back off or grow the
// scale), with the same model, data and injected overflows. Plus its state machine and errors.
import * as torch from '../lib';
import { runPython } from './helpers/python';

const F = torch.nn.functional;

interface Trace {
  losses: number[];
  scales: number[];
  trackers: number[];
  stepped: boolean[];
  weights: number[][];
}

const STEPS = 7;
const INF_AT = [1, 4]; // iterations whose input holds an inf
const OPTS = { initScale: 2 ** 10, growthFactor: 2, backoffFactor: 0.5, growthInterval: 2 };

describe('GradScaler training loop against the algorithm run in Python', () => {
  const ref = runPython<Trace>(`
import math
torch.manual_seed(0)
lin = torch.nn.Linear(4, 2)
x = torch.randn(3, 4); t = torch.randn(3, 2)
params = list(lin.parameters())
opt = torch.optim.SGD(params, lr=0.1, momentum=0.9)
scale = torch.full((1,), ${OPTS.initScale}.0, dtype=torch.float32)
tracker = 0
losses, scales, trackers, stepped = [], [], [], []
for i in range(${STEPS}):
    opt.zero_grad()
    xi = x.clone()
    if i in ${JSON.stringify(INF_AT)}: xi[0, 0] = float('inf')
    loss = torch.nn.functional.mse_loss(lin(xi), t)
    (loss * scale).backward()
    inv = scale.double().reciprocal().float()
    found = False
    for p in params:
        if not torch.isfinite(p.grad).all(): found = True
        p.grad.mul_(inv)
    if not found: opt.step()
    stepped.append(not found)
    if found:
        scale.mul_(${OPTS.backoffFactor}); tracker = 0
    else:
        tracker += 1
        if tracker == ${OPTS.growthInterval}:
            grown = scale * ${OPTS.growthFactor}
            if torch.isfinite(grown).all(): scale.copy_(grown)
            tracker = 0
    losses.append(loss.item() if math.isfinite(loss.item()) else str(loss.item())); scales.append(scale.item()); trackers.append(tracker)
result = {'losses': losses, 'scales': scales, 'trackers': trackers, 'stepped': stepped,
          'weights': [p.detach().flatten().tolist() for p in params]}
`);

  test('scale/step/update: losses, scales, growth tracker, skipped steps and weights equal', () => {
    torch.manualSeed(0);
    const lin = new torch.nn.Linear(4, 2);
    const x = torch.randn([3, 4]), t = torch.randn([3, 2]);
    const params = [...lin.parameters()];
    const opt = new torch.optim.SGD(params, { lr: 0.1, momentum: 0.9 });
    const scaler = new torch.amp.GradScaler('cpu', OPTS);
    const ours: Trace = { losses: [], scales: [], trackers: [], stepped: [], weights: [] };
    for (let i = 0; i < STEPS; i++) {
      opt.zeroGrad();
      const xi = x.clone();
      if (INF_AT.includes(i)) xi.indexPut_([0, 0], Infinity);
      const loss = F.mseLoss(lin(xi), t);
      scaler.scale(loss).backward();
      const before = params[0].detach().clone();
      scaler.step(opt);
      scaler.update();
      ours.stepped.push(!torch.equal(before, params[0].detach()));
      const l = loss.item() as number;
      ours.losses.push(Number.isFinite(l) ? l : (String(l).replace('Infinity', 'inf').replace('NaN', 'nan') as unknown as number));
      const sd = scaler.stateDict() as torch.amp.GradScalerState;
      ours.scales.push(sd.scale);
      ours.trackers.push(sd._growth_tracker);
    }
    ours.weights = params.map((p) => p.detach().flatten().tolist() as number[]);
    // the scaler's own arithmetic exactly; losses and weights to float32 rounding (the optimizers'
    // kernels may round the last bit differently)
    expect([ours.scales, ours.trackers, ours.stepped]).toEqual([ref.scales, ref.trackers, ref.stepped]);
    expect(ours.losses.map(String)).toEqual(ref.losses.map((l) => (typeof l === 'number' ? expect.any(String) : l)));
    ours.losses.forEach((l, i) => typeof l === 'number' && expect(l).toBeCloseTo(ref.losses[i], 6));
    ours.weights.flat().forEach((w, i) => expect(w).toBeCloseTo(ref.weights.flat()[i], 6));
    expect(ref.stepped).toContain(false); // the oracle did see overflows
    const moves = ref.scales.slice(1).map((v, i) => Math.sign(v - ref.scales[i]));
    expect(moves).toEqual(expect.arrayContaining([-1, 1])); // and both backoff and growth
  });

  test('unscale_ before clipping, then step: same as unscaling by hand', () => {
    const ref = runPython<number[][]>(`
torch.manual_seed(1)
lin = torch.nn.Linear(3, 3); x = torch.randn(2, 3)
(lin(x).pow(2).sum() * 256.0).backward()
for p in lin.parameters(): p.grad.mul_(torch.tensor([256.0]).double().reciprocal().float())
torch.nn.utils.clip_grad_norm_(lin.parameters(), 0.5)
result = [p.grad.flatten().tolist() for p in lin.parameters()]
`);
    torch.manualSeed(1);
    const lin = new torch.nn.Linear(3, 3);
    const x = torch.randn([2, 3]);
    const opt = new torch.optim.SGD([...lin.parameters()], { lr: 0.1 });
    const scaler = new torch.amp.GradScaler('cpu', { initScale: 256 });
    scaler.scale(lin(x).pow(2).sum()).backward();
    scaler.unscale_(opt);
    torch.nn.utils.clipGradNorm_([...lin.parameters()], 0.5);
    expect([...lin.parameters()].map((p) => p.grad!.flatten().tolist())).toEqual(ref);
    scaler.step(opt); // does not unscale again
    scaler.update();
    expect(scaler.getScale()).toBe(256);
  });

  test('a scale that would grow past float32 stays and the tracker resets', () => {
    const w = torch.tensor([1.0], { dtype: torch.float32, requiresGrad: true });
    const opt = new torch.optim.SGD([w], { lr: 0 });
    const scaler = new torch.amp.GradScaler('cpu', { initScale: 3e38, growthInterval: 1 });
    scaler.scale(w.sum()).backward();
    scaler.step(opt);
    scaler.update();
    expect(scaler.getScale()).toBe(Math.fround(3e38));
    expect((scaler.stateDict() as torch.amp.GradScalerState)._growth_tracker).toBe(0);
  });
});

describe('GradScaler state machine and state_dict', () => {
  const setup = () => {
    const w = torch.tensor([1.0, 2.0], { dtype: torch.float32, requiresGrad: true });
    const opt = new torch.optim.SGD([w], { lr: 0.1 });
    const scaler = new torch.amp.GradScaler('cpu', { initScale: 8 });
    return { w, opt, scaler };
  };

  test("PyTorch's errors for calls out of order", () => {
    const { w, opt, scaler } = setup();
    expect(() => scaler.update()).toThrow('Attempted update but _scale is None.  This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.');
    expect(() => scaler.step(opt)).toThrow(torch.TorchError);
    scaler.scale(w.sum()).backward();
    scaler.unscale_(opt);
    expect(() => scaler.unscale_(opt)).toThrow('unscale_() has already been called on this optimizer since the last update().');
    scaler.step(opt);
    expect(() => scaler.step(opt)).toThrow('step() has already been called since the last update().');
    expect(() => scaler.unscale_(opt)).toThrow('unscale_() is being called after step().');
    scaler.update();
    expect(() => scaler.step(opt, () => 0)).toThrow('Closure use is not currently supported if GradScaler is enabled.');
  });

  test('float16 gradients are refused, as PyTorch', () => {
    const w = torch.tensor([1.0], { dtype: torch.float16, requiresGrad: true });
    const scaler = new torch.amp.GradScaler('cpu');
    scaler.scale(torch.ones([1]));
    w.grad = torch.ones([1], { dtype: torch.float16 });
    expect(() => scaler.unscale_(new torch.optim.SGD([w], { lr: 1 }))).toThrow('Attempting to unscale FP16 gradients.');
  });

  test('scale() of arrays and objects, update(newScale)', () => {
    const { scaler } = setup();
    const [a, { b }] = scaler.scale([torch.ones([2]), { b: torch.full([1], 3) }]) as [torch.Tensor, { b: torch.Tensor }];
    expect(a.tolist()).toEqual([8, 8]);
    expect(b.tolist()).toEqual([24]);
    scaler.update(4);
    expect(scaler.getScale()).toBe(4);
    scaler.update(torch.full([1], 2, { dtype: torch.float32 }));
    expect(scaler.getScale()).toBe(2);
  });

  test("stateDict in PyTorch's layout; loadStateDict restores it, also from a Python dict", () => {
    const { w, opt, scaler } = setup();
    expect(scaler.stateDict()).toEqual({ scale: 8, growth_factor: 2, backoff_factor: 0.5, growth_interval: 2000, _growth_tracker: 0 });
    scaler.scale(w.sum()).backward();
    scaler.step(opt);
    scaler.update();
    expect(scaler.stateDict()).toEqual({ scale: 8, growth_factor: 2, backoff_factor: 0.5, growth_interval: 2000, _growth_tracker: 1 });
    const keys = runPython<Record<string, number>>(`
import warnings
warnings.simplefilter('ignore')
s = torch.cuda.amp.GradScaler(enabled=True)
# the CPU-only build disables it; its state_dict layout is what we compare
# (1.13's __init__ then skips the fields; they get the documented defaults here)
s._enabled = True; s._scale = None; s._growth_tracker = None; s._init_growth_tracker = 0
s._init_scale = 2.**16; s._growth_factor = 2.0; s._backoff_factor = 0.5; s._growth_interval = 2000
result = s.state_dict()
`);
    expect(Object.keys(scaler.stateDict())).toEqual(Object.keys(keys));
    expect(new torch.amp.GradScaler('cpu').stateDict()).toEqual(keys);
    const other = new torch.amp.GradScaler('cpu');
    other.loadStateDict({ scale: 32, growth_factor: 4, backoff_factor: 0.25, growth_interval: 10, _growth_tracker: 3 });
    expect(other.stateDict()).toEqual({ scale: 32, growth_factor: 4, backoff_factor: 0.25, growth_interval: 10, _growth_tracker: 3 });
    other.scale(torch.ones([1]));
    expect(other.getScale()).toBe(32);
    expect(() => other.loadStateDict({})).toThrow('The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.');
  });

  test('a disabled scaler passes everything through; torch.cuda.amp.GradScaler disables itself without CUDA', () => {
    const { w, opt } = setup();
    const off = new torch.amp.GradScaler('cpu', { enabled: false });
    const loss = w.sum();
    expect(off.scale(loss)).toBe(loss);
    expect(off.getScale()).toBe(1);
    expect(off.stateDict()).toEqual({});
    loss.backward();
    off.step(opt);
    off.update();
    expect(w.tolist()).toEqual([0.9, 1.9].map(Math.fround));
    if (!torch.cuda.isAvailable()) {
      const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        const cudaScaler = new torch.cuda.amp.GradScaler();
        expect(cudaScaler.isEnabled()).toBe(false);
        expect(String(emit.mock.calls[0][0])).toMatch(/GradScaler is enabled, but CUDA is not available/);
      } finally {
        emit.mockRestore();
      }
    }
  });

  test('GradScaler({ ... }) without a device is the CUDA scaler with those options, not a device named [object Object]', () => {
    const scaler = new torch.amp.GradScaler({ enabled: false, initScale: 8 });
    expect(scaler.device).toBe('cuda');
    expect(scaler.isEnabled()).toBe(false);
    expect(() => new torch.amp.GradScaler(3 as never)).toThrow("GradScaler: device must be a string such as 'cuda', got 3");
  });
});
