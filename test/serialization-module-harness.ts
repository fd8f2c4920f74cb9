// Shared by the whole-module torch.save / torch.load tests: each spec is one module, built here and
// in Python from the same arguments. Here: each is built, run and saved whole (js-<i>.pt); then ONE
// Python run loads those (forward, gradients, repr, state_dict against ours) and saves its own
// instances whole (py-<i>.pt), which the tests load here and check the same way.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { Module } from '../lib/nn/module';
import { runPython } from './helpers/python';
import * as tq from '../lib/ao/quantization';

/** An input: randn/rand of a shape, random ints in [low, high), or random signs (+1/-1). */
export type InputSpec = number[] | { rand: number[] } | { int: [number, number, number[]] } | { sign: number[] };

export interface Spec {
  /** the class, as nn.<name> in both languages unless py/js are given */
  name: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  inputs?: InputSpec[];
  /** Python expression and JS factory, when not nn.<name>(*args, **kwargs) */
  py?: string;
  js?: () => Module;
  /** JS classes the load needs beyond the library's ({ '__main__.Net': Net }) */
  classes?: Record<string, new (...a: any[]) => Module>;
  tol?: number;
  /** only Python's instance, loaded here (JS builds none: the save direction is not tested) */
  loadOnly?: boolean;
}

export interface PyResult {
  error?: string;
  jsError?: string;
  jsRepr?: string;
  jsTraining?: boolean;
  jsSdKeys?: string[];
  jsSdDiff?: number;
  jsOutDiff?: number[];
  jsGradDiff?: Record<string, number>;
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A number Python receives as a float even when integral (`float(0)` -> `0.0`; JS gets 0). */
export class PyFloat {
  constructor(readonly value: number) {}
}
export const float = (v: number): PyFloat => new PyFloat(v);
const jsValue = (v: unknown): unknown => (v instanceof PyFloat ? v.value : Array.isArray(v) ? v.map(jsValue) : v && typeof v === 'object' && !(v instanceof Module) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsValue(x)])) : v);

function pyLiteral(v: unknown): string {
  if (v instanceof PyFloat) return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `(${v.map(pyLiteral).join(', ')}${v.length === 1 ? ',' : ''})`;
  return String(v);
}

export function pyConstructor(s: Spec): string {
  if (s.py) return s.py;
  const args = [...(s.args ?? []).map(pyLiteral), ...Object.entries(s.kwargs ?? {}).map(([k, v]) => `${snake(k)}=${pyLiteral(v)}`)];
  return `nn.${s.name}(${args.join(', ')})`;
}

function jsConstructor(s: Spec): Module {
  if (s.js) return s.js();
  const cls = (torch.nn as unknown as Record<string, new (...a: unknown[]) => Module>)[s.name];
  const args = (s.args ?? []).map(jsValue);
  if (s.kwargs && Object.keys(s.kwargs).length) args.push(jsValue(s.kwargs));
  return new cls(...args);
}

function makeInput(spec: InputSpec): Tensor {
  if (Array.isArray(spec)) return torch.randn(spec);
  if ('rand' in spec) return torch.rand(spec.rand);
  if ('sign' in spec) return torch.randint(0, 2, spec.sign).float().mul(2).sub(1);
  return torch.randint(spec.int[0], spec.int[1], spec.int[2]);
}

/** The tensors of an output (tuples, lists, named results), in order. */
export function flat(o: unknown): Tensor[] {
  if (o instanceof Tensor) return [o];
  if (Array.isArray(o)) return o.flatMap(flat);
  if (o && typeof o === 'object') return Object.values(o).flatMap(flat);
  return [];
}

/** Runs forward (the RNG seeded as Python seeds it) and a backward of the sum of the outputs. */
export function runForward(m: Module, inputs: Tensor[], seed: number): { out: Tensor[]; grads: Record<string, Tensor> } {
  torch.manualSeed(seed);
  const out = flat(m(...inputs));
  const parts = out.filter((t) => t.requiresGrad);
  if (parts.length) parts.map((t) => t.sum()).reduce((a, b) => a.add(b)).backward();
  const grads: Record<string, Tensor> = {};
  for (const [n, p] of m.namedParameters()) if (p.grad) grads[n] = p.grad;
  return { out: out.map((t) => t.detach()), grads };
}

const PY_SIDE = `
import traceback, warnings
from torch import nn
import torchvision
warnings.simplefilter('ignore')
def make_input(s):
    if isinstance(s, list): return torch.randn(s)
    if 'rand' in s: return torch.rand(s['rand'])
    if 'sign' in s: return torch.randint(0, 2, s['sign']).float() * 2 - 1
    return torch.randint(s['int'][0], s['int'][1], s['int'][2])
def flat(o):
    if isinstance(o, torch.Tensor): return [o]
    if isinstance(o, (tuple, list)): return [t for x in o for t in flat(x)]
    return []
def run(m, inputs, seed):
    torch.manual_seed(seed)
    out = flat(m(*inputs))
    parts = [t.sum() for t in out if t.requires_grad]
    if parts: sum(parts).backward()
    return [t.detach() for t in out], {n: p.grad for n, p in m.named_parameters() if p.grad is not None}
def diff(a, b):
    if a.shape != b.shape or a.dtype != b.dtype: return 1e9
    if a.numel() == 0: return 0.0
    if a.is_floating_point(): return float((a.double() - b.double()).abs().nan_to_num(0.0).max())
    return 0.0 if torch.equal(a, b) else 1e9
results = []
for i, s in enumerate(SPECS):
    r = {}
    try:
        torch.manual_seed(i)
        m = eval(s['py'])
        m.eval()
        inputs = [make_input(x) for x in s['inputs']]
        bundle = {'model': m, 'inputs': inputs, 'sd': m.state_dict(), 'repr': repr(m)}
        if s['forward']:
            bundle['out'], bundle['grads'] = run(m, inputs, 1000 + i)
        torch.save(bundle, f'{DIR}/py-{i}.pt')
    except Exception:
        r['error'] = traceback.format_exc()
    if s['loadOnly']:
        results.append(r)
        continue
    try:
        b = torch.load(f'{DIR}/js-{i}.pt')
        m = b['model']
        r['jsRepr'] = repr(m)
        r['jsTraining'] = m.training
        sd = m.state_dict()
        r['jsSdKeys'] = list(sd.keys())
        r['jsSdDiff'] = max([diff(sd[k], b['sd'][k]) for k in sd if k in b['sd']] + [0.0])
        if s['forward']:
            out, grads = run(m, b['inputs'], 1000 + i)
            r['jsOutDiff'] = [diff(a, c) for a, c in zip(out, b['out'])] if len(out) == len(b['out']) else [1e9]
            r['jsGradDiff'] = {n: diff(g, b['grads'][n]) if n in b['grads'] else 1e9 for n, g in grads.items()}
            for n in b['grads']:
                if n not in grads: r['jsGradDiff'][n] = 1e9
    except Exception:
        r['jsError'] = traceback.format_exc()
    results.append(r)
result = results
`;

export interface Harness {
  dir: string;
  results: PyResult[];
  jsErrors: (string | undefined)[];
  /** what the `extra` Python code assigned to `extra` */
  extra: any;
}

/**
 * Builds, runs and saves every spec here, then runs the Python side once: `prelude` before it (classes
 * the specs name), `extra` after it (further checks, which assign `extra`; DIR names the folder).
 * `before(dir)` runs first, for files the extra code reads.
 */
export function runHarness(specs: Spec[], options: { prelude?: string; extra?: string; before?: (dir: string) => void } = {}): Harness {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-module-'));
  options.before?.(dir);
  const jsErrors = specs.map((s, i) => {
    if (s.loadOnly) return undefined;
    try {
      torch.manualSeed(i);
      const m = jsConstructor(s);
      m.eval();
      const inputs = (s.inputs ?? []).map(makeInput);
      const bundle: Record<string, unknown> = { model: m, inputs, sd: m.stateDict(), repr: String(m) };
      if (s.inputs) Object.assign(bundle, runForward(m, inputs, 1000 + i));
      torch.saveSync(bundle, path.join(dir, `js-${i}.pt`));
      return undefined;
    } catch (e) {
      return (e as Error).stack;
    }
  });
  const payload = specs.map((s) => ({ py: pyConstructor(s), inputs: s.inputs ?? [], forward: s.inputs !== undefined, loadOnly: s.loadOnly === true }));
  const out = runPython<{ specs: PyResult[]; extra: unknown }>(
    `${options.prelude ?? ''}\nSPECS = json.loads(${JSON.stringify(JSON.stringify(payload))})\nDIR = ${JSON.stringify(dir)}\n${PY_SIDE}\nextra = None\n${options.extra ?? ''}\nresult = {'specs': results, 'extra': extra}\n`,
  );
  return { dir, results: out.specs, jsErrors, extra: out.extra };
}

export function maxDiff(a: Tensor, b: Tensor): number {
  if (String(a.shape) !== String(b.shape) || a.dtype !== b.dtype) return 1e9;
  if (a.numel() === 0) return 0;
  if (!a.isFloatingPoint()) return a.equal(b) ? 0 : 1e9;
  return a.double().sub(b.double()).abs().nanToNum(0).max().item() as number;
}

/** Checks one spec both ways (one jest test per direction). */
export function checkSpec(h: Harness, specs: Spec[], i: number): void {
  const s = specs[i];
  const tol = s.tol ?? 1e-5;
  const r = h.results[i];
  test(`${pyConstructor(s)}: saved whole by Python, loaded here`, () => {
    expect(r.error).toBeUndefined();
    const b = torch.loadSync(path.join(h.dir, `py-${i}.pt`), s.classes ? { classes: s.classes } : {});
    const m = b.model as Module;
    expect(String(m)).toBe(b.repr);
    expect(m.training).toBe(false);
    const sd = m.stateDict();
    // integer-like keys ('0', '1') load as a Map, keeping their order
    const pySd: Record<string, Tensor> = b.sd instanceof Map ? Object.fromEntries(b.sd) : b.sd;
    expect(Object.keys(sd)).toEqual(b.sd instanceof Map ? [...b.sd.keys()] : Object.keys(pySd));
    for (const k of Object.keys(sd)) expect(maxDiff(sd[k], pySd[k])).toBe(0);
    if (s.inputs) {
      const { out, grads } = runForward(m, b.inputs, 1000 + i);
      expect(out.length).toBe(b.out.length);
      out.forEach((t, j) => expect(maxDiff(t, b.out[j])).toBeLessThanOrEqual(tol));
      expect(Object.keys(grads).sort()).toEqual(Object.keys(b.grads).sort());
      for (const k of Object.keys(grads)) expect(maxDiff(grads[k], b.grads[k])).toBeLessThanOrEqual(tol * 10);
    }
    for (const [, p] of m.namedParameters()) expect(p).toBeInstanceOf(torch.nn.Parameter);
    m.train();
    expect([...m.modules()].every((c) => c.training)).toBe(true);
    m.eval();
    expect([...m.modules()].some((c) => c.training)).toBe(false);
  });
  if (s.loadOnly) return;
  test(`${pyConstructor(s)}: saved whole here, loaded by Python`, () => {
    expect(h.jsErrors[i]).toBeUndefined();
    expect(r.jsError).toBeUndefined();
    torch.manualSeed(i);
    const m = s.js ? s.js() : jsConstructor(s);
    expect(r.jsRepr).toBe(String(m));
    expect(r.jsTraining).toBe(false);
    expect(r.jsSdKeys).toEqual(Object.keys(m.stateDict()));
    expect(r.jsSdDiff).toBe(0);
    if (s.inputs) {
      for (const d of r.jsOutDiff!) expect(d).toBeLessThanOrEqual(tol);
      for (const d of Object.values(r.jsGradDiff!)) expect(d).toBeLessThanOrEqual(tol * 10);
    }
  });
}

// ---- torchvision's quantizable models mid-quantization (serialization-module-quantizable*.test.ts) ----

export const QUANT_HELPERS = path.join(__dirname, 'helpers');

type Fusable = Module & { fuseModel(isQat?: boolean | null): void };

/** A torchvision quantizable model: its builder here (Python's: torchvision.models.quantization.<name>), input size, probed block. */
export interface QuantizableModel {
  name: string;
  make: () => Module;
  size: number;
  probe: string;
}

/** The model's output and the int_repr of its `probe` submodule's (the hook removed after). */
function runProbed(m: Module, probe: string, x: Tensor): { out: Tensor; inner: Tensor } {
  let inner: Tensor | undefined;
  const handle = m.getSubmodule(probe).registerForwardHook((_m, _in, o) => {
    inner = (o as Tensor).intRepr();
  });
  const out = m(x) as Tensor;
  handle.remove();
  return { out, inner: inner! };
}

interface PyModel {
  repr: string;
  qrepr: string;
  jsSame: boolean;
  jsSameInner: boolean;
  jsConvertedSame: boolean;
}

/**
 * torchvision's quantizable models mid-quantization and after, both ways with Python (qnnpack):
 * fused and prepared (Quantizable* blocks with qconfigs, observers and observer hooks), then
 * calibrated further and converted by the side that loads; and converted models themselves. Outputs
 * must be equal, and int_repr-equal inside (`probe`: an inner block's output, not constant in a
 * randomly initialised model as the final one can be). googlenet and inception_v3 are built with
 * init_weights=False on both sides (the default init is slow in Python, and any init will do).
 */
export function describeQuantizable(MODELS: QuantizableModel[]): void {
  // The models are built while the tests are collected, on qnnpack. The engine is put back by a
  // file-level afterAll (called at the file's top level), which runs after the per-file switch check.
  const engineBefore = torch.backends.quantized.engine;
  torch.backends.quantized.engine = 'qnnpack';
  afterAll(() => {
    torch.backends.quantized.engine = engineBefore;
  });
  describe("torchvision's quantizable models, prepared and converted, both ways with Python", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-quantizable-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // ours: fused, prepared, calibrated once and saved; then calibrated again and converted (saved too)
  MODELS.forEach(({ name, make, size, probe }, i) => {
    torch.manualSeed(300 + i);
    const m = make() as Fusable;
    m.eval();
    m.fuseModel();
    Object.assign(m, { qconfig: tq.defaultQconfig });
    tq.prepare(m, { inplace: true });
    m(torch.randn([1, 3, size, size]));
    const [calib2, x] = [torch.randn([1, 3, size, size]), torch.randn([1, 3, size, size])];
    torch.saveSync({ model: m, calib2, x }, path.join(dir, `js-${name}.pt`));
    m(calib2);
    const q = tq.convert(m);
    torch.saveSync({ model: q, ...runProbed(q, probe, x) }, path.join(dir, `js-${name}-q.pt`));
  });
  const py = runPython<PyModel[]>(`
import sys
sys.path.insert(0, ${JSON.stringify(QUANT_HELPERS)})
from quant_checkpoint import strip_device_closures, run_probed
import torch.ao.quantization as tq
from torchvision.models import quantization as qm
torch.backends.quantized.engine = 'qnnpack'
DIR = ${JSON.stringify(dir)}
result = []
for i, (name, size, probe) in enumerate(${JSON.stringify(MODELS.map((v) => [v.name, v.size, v.probe]))}):
    torch.manual_seed(i)
    m = getattr(qm, name)(weights=None, quantize=False, **({'init_weights': False} if name in ('googlenet', 'inception_v3') else {})).eval()
    m.fuse_model()
    m.qconfig = tq.default_qconfig
    tq.prepare(m, inplace=True)
    m(torch.randn(1, 3, size, size))
    calib2, x = torch.randn(1, 3, size, size), torch.randn(1, 3, size, size)
    strip_device_closures(m)
    torch.save({'model': m, 'calib2': calib2, 'x': x}, f'{DIR}/py-{name}.pt')
    r = {'repr': repr(m)}
    m(calib2)
    q = tq.convert(m)
    r['qrepr'] = repr(q)
    out, inner = run_probed(q, probe, x)
    torch.save({'model': q, 'out': out, 'inner': inner}, f'{DIR}/py-{name}-q.pt')
    # ours, prepared: calibrated again and converted here; ours, converted: run here
    b = torch.load(f'{DIR}/js-{name}.pt')
    theirs = b['model']
    theirs(b['calib2'])
    out, inner = run_probed(tq.convert(theirs), probe, b['x'])
    expected = torch.load(f'{DIR}/js-{name}-q.pt')
    r['jsSame'] = out.equal(expected['out'])
    r['jsSameInner'] = inner.equal(expected['inner'])
    out, inner = run_probed(expected['model'], probe, b['x'])
    r['jsConvertedSame'] = out.equal(expected['out']) and inner.equal(expected['inner'])
    result.append(r)
`);

  MODELS.forEach(({ name, probe }, i) => {
    it(`${name}: Python's prepared model loads here, keeps observing and converts to Python's`, () => {
      const b = torch.loadSync(path.join(dir, `py-${name}.pt`)) as { model: Module; calib2: Tensor; x: Tensor };
      expect(String(b.model)).toBe(py[i].repr);
      b.model(b.calib2);
      const q = tq.convert(b.model);
      expect(String(q)).toBe(py[i].qrepr);
      const expected = torch.loadSync(path.join(dir, `py-${name}-q.pt`)) as { model: Module; out: Tensor; inner: Tensor };
      expect(expected.inner.float().std().item()).toBeGreaterThan(0); // not a degenerate (constant) block output
      const { out, inner } = runProbed(q, probe, b.x);
      expect(inner.equal(expected.inner)).toBe(true);
      expect(out.equal(expected.out)).toBe(true);
      // Python's converted model too
      expect(String(expected.model)).toBe(py[i].qrepr);
      const again = runProbed(expected.model, probe, b.x);
      expect(again.inner.equal(expected.inner) && again.out.equal(expected.out)).toBe(true);
    });
    it(`${name}: ours, prepared and converted, load in Python and give our outputs`, () => {
      expect(py[i].jsSameInner).toBe(true);
      expect(py[i].jsSame).toBe(true);
      expect(py[i].jsConvertedSame).toBe(true);
    });
  });
});
}
