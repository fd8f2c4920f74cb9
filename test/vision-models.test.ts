// torch-node/vision models against torchvision 0.14 (Debian's python3-torchvision). For every model:
// - same torch.manual_seed -> same initial weights (torchvision's init order), the same state_dict keys
//   and shapes, the printed repr equal to torchvision's, and equal eval-mode outputs (after the same
//   deterministic perturbation of parameters and BatchNorm statistics, so that zero-initialised heads
//   and unit running statistics do not hide differences);
// - the state_dict torchvision saved (full-size tensors, torchvision's keys and dtypes, other weights
//   than the seed route's) loads through the public route, `models.<name>({ weights: file })`, which
//   loads strictly, and gives torchvision's eval-mode outputs (1e-4 relative);
// - that route is strict: a file with a wrong-shaped head and an extra key fails with PyTorch's
//   load_state_dict error text.
// The files total ~6 GB (each VGG ~0.55 GB), so one Python process streams them: it writes a model's
// file (to /dev/shm when there is one), prints that model's results as a line, and stays at most
// AHEAD files ahead of this side, which deletes each file once loaded (and those of models jest -t
// skipped). Python works on the next models while Node checks this one, and each test frees its
// tensors (torch.tidy) before the next.
import { spawn, ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { models } from '../lib/vision';
import { Module } from '../lib/nn';
import { oraclePython, runPython } from './helpers/python';
import { BUILDERS as ALL_BUILDERS } from './helpers/vision-builders';
import { PY_PERTURB, perturb, relDiff } from './helpers/model-perturb';

jest.setTimeout(900_000);

const BUILDERS = ALL_BUILDERS.map(([py, , build]) => [py, build] as const);
/** How many saved files may exist at once (Python waits for this side to delete older ones). */
const AHEAD = 2;
const inputShape = (name: string) => (name === 'vit_b_16' ? [1, 3, 224, 224] : name === 'inception_v3' ? [2, 3, 80, 80] : [2, 3, 64, 64]);
// tmpfs: the files never reach a disk (5x faster to write here than the disk-backed tmpdir)
const base = fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').isDirectory() ? '/dev/shm' : os.tmpdir();
const dir = fs.mkdtempSync(path.join(base, 'vision-models-'));
const weightsFile = (name: string) => path.join(dir, `${name}.pth`);
const badFile = (name: string) => path.join(dir, `${name}-bad.pth`);

interface PyModel {
  keys: [string, number[]][];
  repr: string;
  init: number[];
  attrs: Record<string, Record<string, { value?: unknown }>>;
  out: number[];
  fileOut: number[];
  badError: string;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Python's public attributes of each torchvision class in the model, by camelCase name, with their values. */
function expectAttributes(m: Module, attrs: PyModel['attrs']): void {
  const seen = new Set<string>();
  for (const mod of m.modules()) {
    const cls = mod.constructor.name;
    if (!(cls in attrs) || seen.has(cls)) continue;
    seen.add(cls);
    for (const [name, { value }] of Object.entries(attrs[cls])) {
      const key = camel(name);
      const got = (mod as unknown as Record<string, unknown>)[key];
      expect([cls, key, key in mod]).toEqual([cls, key, true]);
      if (value !== undefined) expect([cls, key, got]).toEqual([cls, key, value]);
    }
  }
  expect([...seen].sort()).toEqual(Object.keys(attrs).sort());
}

const PROGRAM = `
import json, sys, torch
import torchvision.models as M
torch.set_num_threads(1)
names = ${JSON.stringify(BUILDERS.map(([n]) => n))}
shapes = ${JSON.stringify(Object.fromEntries(BUILDERS.map(([n]) => [n, inputShape(n)])))}
d = ${JSON.stringify(dir)}
ahead = ${AHEAD}
done = 0  # models the test side has finished (or skipped, under jest -t); it says so on stdin
def wait_until_done(n):
    global done
    while done < n:
        line = sys.stdin.readline()
        if not line:
            sys.exit(0)  # the test side is gone
        done = max(done, int(line))
${PY_PERTURB}def attrs(m):
    # the public attributes of each torchvision class in the model (not torch.nn's): name -> value
    # (JSON values; other ones, such as a norm_layer partial, by name only)
    out = {}
    for mod in m.modules():
        if type(mod).__module__.startswith('torch.nn') or type(mod).__name__ in out:
            continue
        values = {}
        for k, v in vars(mod).items():
            if k.startswith('_') or k == 'training':
                continue
            v = list(v) if isinstance(v, tuple) else v
            try:
                json.dumps(v)
                values[k] = {'value': v}
            except TypeError:
                values[k] = {}
        out[type(mod).__name__] = values
    return out
def first(sd):
    return [float(t.flatten()[0]) for t in list(sd.values())[:40] if t.is_floating_point()]
for i, name in enumerate(names):
    torch.manual_seed(0)
    m = getattr(M, name)()
    sd = m.state_dict()
    r = {'keys': [[k, list(v.shape)] for k, v in sd.items()], 'repr': repr(m), 'init': first(sd), 'attrs': attrs(m)}
    perturb(m, 1, 2000000)
    m.eval()
    shape = shapes[name]
    torch.manual_seed(3)
    x = torch.randn(*shape)
    with torch.no_grad():
        r['out'] = m(x).flatten().tolist()
    # a head one row too long and a key the model does not have: strict loading must refuse it
    head, w = list(sd.items())[-1]
    bad = {head: torch.zeros(w.shape[0] + 1, *w.shape[1:]), 'unexpected.weight': torch.zeros(1)}
    try:
        m.load_state_dict(bad)
        r['badError'] = ''
    except RuntimeError as e:
        r['badError'] = str(e)
    torch.save(bad, d + '/' + name + '-bad.pth')
    wait_until_done(i - ahead + 1)
    perturb(m, 2, 2000000)
    torch.save(m.state_dict(), d + '/' + name + '.pth')
    with torch.no_grad():
        r['fileOut'] = m(x).flatten().tolist()
    print('@@' + name + ' ' + json.dumps(r), flush=True)
    del m, sd, bad
`;

/** The Python process and one promise per model, resolved when its line (and file) is there. */
let python: ChildProcessWithoutNullStreams;
const results = new Map<string, { promise: Promise<PyModel>; resolve: (r: PyModel) => void; reject: (e: Error) => void }>();

beforeAll(() => {
  for (const [name] of BUILDERS) {
    let resolve!: (r: PyModel) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<PyModel>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined); // a test that never runs (jest -t) must not leave an unhandled rejection
    results.set(name, { promise, resolve, reject });
  }
  python = spawn(oraclePython(), ['-c', PROGRAM]);
  let pending = '';
  let stderr = '';
  python.stdout.setEncoding('utf8');
  python.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.startsWith('@@')) continue;
      const space = line.indexOf(' ');
      results.get(line.slice(2, space))?.resolve(JSON.parse(line.slice(space + 1)) as PyModel);
    }
  });
  python.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  python.on('close', (code) => {
    for (const r of results.values()) r.reject(new Error(`torchvision oracle exited (${code}) before this model: ${stderr.slice(-4000)}`));
  });
  python.stdin.on('error', () => undefined); // writes after Python exited
});

/** Every process warning of this file, as Python's 'Category: message'. */
const heard: string[] = [];
const emitWarning = process.emitWarning.bind(process) as (warning: string, category: string) => void;
process.emitWarning = ((warning: string, category: string) => {
  heard.push(`${category}: ${warning}`);
  emitWarning(warning, category);
}) as typeof process.emitWarning;

afterAll(() => {
  if (python && python.exitCode === null) python.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Models before `index` are done (or were skipped): delete their files and tell Python. */
function doneBefore(index: number): void {
  for (const [name] of BUILDERS.slice(0, index)) {
    fs.rmSync(weightsFile(name), { force: true });
    fs.rmSync(badFile(name), { force: true });
  }
  if (python.exitCode === null) python.stdin.write(`${index}\n`);
}



describe.each(BUILDERS)('%s', (name, build) => {
  test("same seed -> torchvision's weights, keys, shapes, repr, public attributes, outputs; torchvision's saved state_dict loads strictly (weights: file) with its outputs", async () => {
    const index = BUILDERS.findIndex(([n]) => n === name);
    doneBefore(index);
    const py = await results.get(name)!.promise;
    try {
      // seed route; its tensors are freed before the file's model is built (VGG: ~0.5 GB each)
      const x = torch.tidy(() => {
        torch.manualSeed(0);
        const m = build({});
        const sd = m.stateDict();
        expect(Object.entries(sd).map(([k, v]) => [k, v.shape])).toEqual(py.keys);
        expect(String(m)).toEqual(py.repr);
        expectAttributes(m, py.attrs);
        const first = Object.values(sd).slice(0, 40).filter((t) => t.dtype.isFloatingPoint).map((t) => t.flatten().select(0, 0).item() as number);
        expect(first.length).toBe(py.init.length);
        first.forEach((v, i) => expect(v).toBeCloseTo(py.init[i], 6));
        perturb(m, 1, 2_000_000);
        m.eval();
        torch.manualSeed(3);
        const input = torch.randn(inputShape(name));
        const out = torch.noGrad(() => m(input) as torch.Tensor);
        expect(relDiff(out, py.out)).toBeLessThan(1e-4);
        return input;
      });
      torch.tidy(() => {
        const loaded = build({ weights: weightsFile(name) });
        loaded.eval();
        const out = torch.noGrad(() => loaded(x) as torch.Tensor);
        expect(relDiff(out, py.fileOut)).toBeLessThan(1e-4);
      });
      x.dispose();
      expect(py.badError).toMatch(/^Error\(s\) in loading state_dict/);
      const error = torch.tidy(() => {
        try {
          build({ weights: badFile(name) });
        } catch (e) {
          return e;
        }
      });
      expect(error).toBeInstanceOf(torch.TorchError);
      expect((error as Error).message).toBe(py.badError);
    } finally {
      doneBefore(index + 1);
    }
  });
});

/** Each parameter's grad (or a tensor) against Python's: its sum and norm, and its first elements. */
function expectClose(got: torch.Tensor, want: { sum: number; norm: number; first: number[] }, label: string): void {
  const g = got.double();
  const norm = g.norm().item() as number;
  const scale = Math.max(want.norm, 1e-12);
  const diffs = [Math.abs(norm - want.norm) / scale, Math.abs((g.sum().item() as number) - want.sum) / scale];
  const first = g.flatten().narrow(0, 0, want.first.length).tolist() as number[];
  first.forEach((v, i) => diffs.push(Math.abs(v - want.first[i]) / scale));
  const worst = Math.max(...diffs);
  if (!(worst < 1e-4)) throw new Error(`${label}: relative difference ${worst}`);
}

// Inception v3 in training mode: InceptionOutputs [logits, auxLogits] with the same dropout draws,
// BatchNorm batch statistics and gradients as torchvision; every initial tensor (the truncated-normal
// init with InceptionAux's stddev attributes) equal; without aux logits or in eval mode, the logits.
describe('inception_v3 in training mode', () => {
  type Summary = { sum: number; norm: number; first: number[] };
  interface PyInception {
    init: [string, number, number][];
    type: string;
    repr: string;
    logits: number[];
    aux: number[];
    grads: [string, Summary][];
    buffers: [string, Summary][];
    evalType: string;
    evalOut: number[];
    noAux: number[];
    noAuxType: string;
    noAuxKeys: boolean;
    replaced: number[];
    replacedAux: number[];
    replacedKeys: [string, number[]][];
  }
  let py: PyInception;
  beforeAll(() => {
    py = runPython<PyInception>(`
import warnings
warnings.simplefilter('ignore')
import torchvision.models as M
${PY_PERTURB}def summary(t):
    t = t.detach().double()
    return {'sum': float(t.sum()), 'norm': float(t.norm()), 'first': t.flatten()[:6].tolist()}
torch.manual_seed(0)
m = M.inception_v3()
r = {'init': [[k, float(v.double().sum()), float(v.double().abs().sum())] for k, v in m.state_dict().items()]}
perturb(m, 1, 2000000)
m.train()
torch.manual_seed(3)
x = torch.randn(2, 3, 299, 299)
out = m(x)
r['type'] = type(out).__name__
r['repr'] = repr(out)
r['logits'] = out.logits.flatten().tolist()
r['aux'] = out.aux_logits.flatten().tolist()
torch.manual_seed(4)
loss = (out.logits * torch.randn_like(out.logits)).sum() + 0.4 * (out.aux_logits * torch.randn_like(out.aux_logits)).sum()
loss.backward()
r['grads'] = [[n, summary(p.grad)] for n, p in m.named_parameters()]
r['buffers'] = [[n, summary(b)] for n, b in m.named_buffers()]
m.eval()
with torch.no_grad():
    e = m(x[:, :, :160, :160])
r['evalType'] = type(e).__name__
r['evalOut'] = e.flatten().tolist()
# the heads replaced, as in fine-tuning
torch.manual_seed(7)
m.AuxLogits.fc = torch.nn.Linear(768, 10)
m.fc = torch.nn.Linear(2048, 10)
m.train()
torch.manual_seed(8)
out = m(x)
r['replaced'] = out.logits.flatten().tolist()
r['replacedAux'] = out.aux_logits.flatten().tolist()
r['replacedKeys'] = [[k, list(v.shape)] for k, v in m.state_dict().items() if 'fc' in k]
torch.manual_seed(5)
m2 = M.inception_v3(aux_logits=False, transform_input=True, init_weights=False, num_classes=10)
m2.train()
torch.manual_seed(6)
o2 = m2(torch.randn(2, 3, 80, 80))
r['noAuxType'] = type(o2).__name__
r['noAux'] = o2.flatten().tolist()
r['noAuxKeys'] = any('AuxLogits' in k for k in m2.state_dict())
result = r
`);
  });

  test('same seed: every initial tensor; training-mode InceptionOutputs, buffers and gradients; eval-mode logits; replaced heads', () => {
    torch.tidy(() => {
      torch.manualSeed(0);
      const m = models.inceptionV3();
      const init = Object.entries(m.stateDict()).map(([k, v]) => [k, v.double().sum().item(), v.double().abs().sum().item()] as [string, number, number]);
      expect(init.map(([k]) => k)).toEqual(py.init.map(([k]) => k));
      init.forEach(([k, sum, abs], i) => {
        const [, pySum, pyAbs] = py.init[i];
        if (Math.abs(abs - pyAbs) > 1e-5 * Math.max(pyAbs, 1) || Math.abs(sum - pySum) > 1e-5 * Math.max(pyAbs, 1)) throw new Error(`${k}: ${sum}/${abs} vs ${pySum}/${pyAbs}`);
      });
      perturb(m, 1, 2_000_000);
      m.train();
      torch.manualSeed(3);
      const x = torch.randn([2, 3, 299, 299]);
      const out = m(x);
      expect(py.type).toBe('InceptionOutputs');
      if (out instanceof torch.Tensor) throw new Error('expected InceptionOutputs in training mode');
      const [logits, aux] = out;
      expect(out.logits).toBe(logits);
      expect(out.auxLogits).toBe(aux);
      expect(String(out)).toBe(py.repr);
      expect(relDiff(logits, py.logits)).toBeLessThan(1e-4);
      expect(relDiff(aux!, py.aux)).toBeLessThan(1e-4);
      torch.manualSeed(4);
      const loss = logits.mul(torch.randnLike(logits)).sum().add(aux!.mul(torch.randnLike(aux!)).sum().mul(0.4));
      loss.backward();
      const params = [...m.namedParameters()];
      expect(params.map(([n]) => n)).toEqual(py.grads.map(([n]) => n));
      params.forEach(([n, p], i) => expectClose(p.grad!, py.grads[i][1], `grad of ${n}`));
      const buffers = [...m.namedBuffers()];
      expect(buffers.map(([n]) => n)).toEqual(py.buffers.map(([n]) => n));
      buffers.forEach(([n, b], i) => expectClose(b, py.buffers[i][1], n));

      m.eval();
      const e = torch.noGrad(() => m(x.narrow(2, 0, 160).narrow(3, 0, 160)));
      expect(py.evalType).toBe('Tensor');
      expect(e).toBeInstanceOf(torch.Tensor);
      expect(relDiff(e as torch.Tensor, py.evalOut)).toBeLessThan(1e-4);

      torch.manualSeed(7);
      m.AuxLogits!.fc = new torch.nn.Linear(768, 10);
      m.fc = new torch.nn.Linear(2048, 10);
      m.train();
      torch.manualSeed(8);
      const replaced = m(x) as models.InceptionOutputs;
      expect(relDiff(replaced.logits, py.replaced)).toBeLessThan(1e-4);
      expect(relDiff(replaced.auxLogits!, py.replacedAux)).toBeLessThan(1e-4);
      expect(Object.entries(m.stateDict()).filter(([k]) => k.includes('fc')).map(([k, v]) => [k, v.shape])).toEqual(py.replacedKeys);
    });
    torch.tidy(() => {
      torch.manualSeed(5);
      const m2 = models.inceptionV3({ auxLogits: false, transformInput: true, initWeights: false, numClasses: 10 });
      expect(m2.AuxLogits).toBeNull();
      expect(Object.keys(m2.stateDict()).some((k) => k.includes('AuxLogits'))).toBe(py.noAuxKeys);
      m2.train();
      torch.manualSeed(6);
      const o2 = m2(torch.randn([2, 3, 80, 80]));
      expect(py.noAuxType).toBe('Tensor');
      expect(o2).toBeInstanceOf(torch.Tensor);
      expect(relDiff(o2 as torch.Tensor, py.noAux)).toBeLessThan(1e-4);
    });
  });
});

// torchvision 0.14's deprecated `pretrained` keyword (handle_legacy_interface), through the weights
// cache: TORCH_HOME points both sides at the same files, named as the IMAGENET1K_V1 entries' URLs.
describe('the legacy pretrained keyword', () => {
  interface PyLegacy {
    warnings: Record<string, string[]>;
    errors: Record<string, string>;
    resnetOut: number[];
    inceptionOut: number[];
    inceptionTrainType: string;
    transforms: string;
    googlenetRepr: string;
    googlenetTrainType: string;
    googlenetOut: number[];
    googlenetAuxKeys: number;
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-legacy-'));
  const savedHome = process.env.TORCH_HOME;
  let py: PyLegacy;
  beforeAll(() => {
    process.env.TORCH_HOME = home;
    py = runPython<PyLegacy>(`
import os, warnings
import torchvision.models as M
os.environ['TORCH_HOME'] = ${JSON.stringify(home)}
ckpt = os.path.join(os.environ['TORCH_HOME'], 'hub', 'checkpoints')
os.makedirs(ckpt, exist_ok=True)
def perturb(m, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in m.parameters():
            p.add_(torch.randn_like(p) * 0.05)
for name, enum in [('resnet18', M.ResNet18_Weights), ('inception_v3', M.Inception_V3_Weights), ('googlenet', M.GoogLeNet_Weights)]:
    torch.manual_seed(0)
    m = getattr(M, name)(init_weights=False) if name in ('inception_v3', 'googlenet') else getattr(M, name)()
    perturb(m, 2)
    torch.save(m.state_dict(), os.path.join(ckpt, enum.IMAGENET1K_V1.url.split('/')[-1]))
def caught(f):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        out = f()
    return out, [f'{x.category.__name__}: {x.message}' for x in w]
r = {'warnings': {}, 'errors': {}}
resnet, r['warnings']['resnet18 pretrained'] = caught(lambda: M.resnet18(pretrained=True))
_, r['warnings']['resnet18 not pretrained'] = caught(lambda: M.resnet18(pretrained=False))
inception, r['warnings']['inception_v3 pretrained'] = caught(lambda: M.inception_v3(pretrained=True))
_, r['warnings']['inception_v3 default init'] = caught(lambda: M.inception_v3())
_, r['warnings']['googlenet default init'] = caught(lambda: M.googlenet())
r['errors']['aux_logits'] = err(lambda: M.inception_v3(weights='DEFAULT', aux_logits=False))
r['errors']['init_weights'] = err(lambda: M.inception_v3(pretrained=True, init_weights=True))
r['errors']['num_classes'] = err(lambda: M.inception_v3(pretrained=True, num_classes=10))
torch.manual_seed(3)
x = torch.randn(2, 3, 80, 80)
with torch.no_grad():
    r['resnetOut'] = resnet.eval()(x).flatten().tolist()
    r['inceptionOut'] = inception.eval()(x).flatten().tolist()
inception.train()
r['inceptionTrainType'] = type(inception(torch.randn(2, 3, 299, 299))).__name__
r['transforms'] = repr(M.Inception_V3_Weights.DEFAULT.transforms())
# googlenet's pretrained heads: dropped unless aux_logits=True is asked for (which warns)
g, r['warnings']['googlenet weights'] = caught(lambda: M.googlenet(weights=M.GoogLeNet_Weights.DEFAULT))
r['googlenetRepr'] = repr(g)
r['googlenetTrainType'] = type(g.train()(x)).__name__
with torch.no_grad():
    r['googlenetOut'] = g.eval()(x).flatten().tolist()
g2, r['warnings']['googlenet aux'] = caught(lambda: M.googlenet(pretrained=True, aux_logits=True))
r['googlenetAuxKeys'] = len([k for k in g2.state_dict() if k.startswith('aux')])
result = r
`);
  });
  afterAll(() => {
    if (savedHome === undefined) delete process.env.TORCH_HOME;
    else process.env.TORCH_HOME = savedHome;
    fs.rmSync(home, { recursive: true, force: true });
  });

  /** What `fn` returns and the warnings it emitted, as Python's 'Category: message'. */
  function caught<T>(fn: () => T): [T, string[]] {
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const out = fn();
      return [out, spy.mock.calls.map(([message, category]) => `${String(category)}: ${String(message)}`)];
    } finally {
      spy.mockRestore();
    }
  }

  test("inception_v3's and googlenet's default init: torchvision's FutureWarning, once each", () => {
    // the first default build of this process emits it (maybe an earlier test's): all warnings are heard here
    torch.tidy(() => [models.inceptionV3(), models.googlenet()]);
    const want = [...py.warnings['inception_v3 default init'], ...py.warnings['googlenet default init']].map((w) => w.replace('init_weights', 'initWeights'));
    expect(want).toHaveLength(2);
    expect(heard.filter((w) => w.startsWith('FutureWarning')).sort()).toEqual(want.sort());
  });

  test("pretrained: true is the IMAGENET1K_V1 entry, false no weights, each with torchvision's warnings; with weights it is refused", () => {
    torch.tidy(() => {
      const [resnet, w1] = caught(() => models.resnet18({ pretrained: true }));
      expect(w1).toEqual(py.warnings['resnet18 pretrained']);
      expect(w1[1]).toContain('`weights=ResNet18_Weights.IMAGENET1K_V1`');
      const [, w2] = caught(() => models.resnet18({ pretrained: false }));
      // the first warning is shown once per process, as Python's default filter shows it once per place
      expect([...py.warnings['resnet18 not pretrained'].slice(1)]).toEqual(w2);
      expect(w2[0]).toContain('`weights=None`');
      const [inception, w3] = caught(() => models.inceptionV3({ pretrained: true }));
      expect(w3).toEqual(py.warnings['inception_v3 pretrained'].slice(1));
      expect(inception.transformInput).toBe(true);
      expect(inception.auxLogits).toBe(true);

      torch.manualSeed(3);
      const x = torch.randn([2, 3, 80, 80]);
      resnet.eval();
      inception.eval();
      torch.noGrad(() => {
        expect(relDiff(resnet(x), py.resnetOut)).toBeLessThan(1e-4);
        expect(relDiff(inception(x) as torch.Tensor, py.inceptionOut)).toBeLessThan(1e-4);
      });
      inception.train();
      expect(py.inceptionTrainType).toBe('InceptionOutputs');
      expect(Array.isArray(inception(torch.randn([2, 3, 299, 299])))).toBe(true);
      expect(String(models.Inception_V3_Weights.DEFAULT.transforms())).toBe(py.transforms);

      const [g, w5] = caught(() => models.googlenet({ weights: models.GoogLeNet_Weights.DEFAULT }));
      expect(w5).toEqual(py.warnings['googlenet weights']);
      expect([g.auxLogits, g.aux1, g.aux2, g.transformInput]).toEqual([false, null, null, true]);
      expect(String(g)).toBe(py.googlenetRepr);
      expect(py.googlenetTrainType).toBe('Tensor');
      expect(g.train()(x)).toBeInstanceOf(torch.Tensor);
      g.eval();
      torch.noGrad(() => expect(relDiff(g(x) as torch.Tensor, py.googlenetOut)).toBeLessThan(1e-4));
      const [g2, w6] = caught(() => models.googlenet({ pretrained: true, auxLogits: true }));
      expect(w6).toEqual(py.warnings['googlenet aux'].filter((w) => !w.includes("'pretrained' is deprecated")));
      expect(Object.keys(g2.stateDict()).filter((k) => k.startsWith('aux'))).toHaveLength(py.googlenetAuxKeys);
    });

    const errorOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(errorOf(() => models.inceptionV3({ weights: 'DEFAULT', auxLogits: false }))).toBe(py.errors.aux_logits);
    expect(errorOf(() => models.inceptionV3({ pretrained: true, initWeights: true }))).toBe(py.errors.init_weights);
    expect(errorOf(() => models.inceptionV3({ pretrained: true, numClasses: 10 }))).toBe(py.errors.num_classes);
    // torchvision passes pretrained on to the model, whose __init__ does not take it
    for (const weights of [null, 'DEFAULT', models.ResNet18_Weights.DEFAULT]) {
      expect(errorOf(() => models.resnet18({ weights, pretrained: true }))).toBe("resnet18() got an unexpected keyword argument 'pretrained'");
    }
  });
});

// The containers Python code indexes are typed as what they are: nn.Sequential (cnn[0], cnn.at(-1),
// cnn.length), with the children fine-tuning code reaches typed too (classifier[6].inFeatures).
test('features, classifiers and heads are typed as the containers and layers they are', () => {
  torch.tidy(() => {
    const { Sequential, Linear, Conv2d, MaxPool2d, BatchNorm2d } = torch.nn;
    const alex = models.alexnet();
    const cnn = alex.features;
    expect(cnn).toBeInstanceOf(Sequential);
    expect([cnn.length, cnn[0].weight.shape, cnn[10].outChannels]).toEqual([13, [64, 3, 11, 11], 256]);
    expect(cnn.at(-1)).toBeInstanceOf(MaxPool2d);
    expect([alex.classifier[1].inFeatures, alex.classifier[4].inFeatures, alex.classifier[6].inFeatures]).toEqual([9216, 4096, 4096]);
    alex.classifier[6] = new Linear(4096, 10);
    expect(alex.stateDict()['classifier.6.weight'].shape).toEqual([10, 4096]);
    // a new head of any layout
    alex.classifier = new Sequential(new Linear(9216, 5));
    expect(alex.stateDict()['classifier.0.weight'].shape).toEqual([5, 9216]);
    expect(torch.noGrad(() => alex.eval()(torch.zeros([1, 3, 64, 64]))).shape).toEqual([1, 5]);

    const sq = models.squeezenet1_1({ numClasses: 7 });
    expect([sq.numClasses, sq.classifier[1].outChannels, sq.features.length]).toEqual([7, 7, 13]);
    const dense = models.densenet121();
    expect([dense.features.conv0.inChannels, dense.features.norm0.numFeatures, dense.features.norm5.numFeatures, dense.classifier.inFeatures]).toEqual([3, 64, 1024, 1024]);
    expect(dense.features[0]).toBe(dense.features.conv0);
    dense.features.conv0 = new Conv2d(1, 64, 7, { stride: 2, padding: 3, bias: false });
    expect(dense.stateDict()['features.conv0.weight'].shape).toEqual([64, 1, 7, 7]);
    expect(models.mobilenetV2().classifier[1].inFeatures).toBe(1280);
    const v3 = models.mobilenetV3Small();
    expect([v3.classifier[0].inFeatures, v3.classifier[3].inFeatures]).toEqual([576, 1024]);
    expect(models.efficientnetB0().classifier[1].inFeatures).toBe(1280);
    expect(models.convnextTiny().classifier[2].inFeatures).toBe(768);
    const vit = models.vitB16();
    expect([vit.heads.head.inFeatures, vit.hiddenDim, vit.dropout, vit.attentionDropout]).toEqual([768, 768, 0, 0]);
    vit.heads = new Sequential(new Map([['head', new Linear(768, 5)]]));
    expect(vit.heads.head.outFeatures).toBe(5);
    const inception = models.inceptionV3({ initWeights: false });
    expect([inception.fc.inFeatures, inception.AuxLogits!.fc.inFeatures]).toEqual([2048, 768]);
    expect(inception.Mixed_5b).toBeInstanceOf(models.InceptionA);
    const g = models.googlenet({ initWeights: false });
    expect([g.fc.inFeatures, g.aux1!.fc1.inFeatures, g.aux2!.fc2.inFeatures]).toEqual([1024, 2048, 1024]);
    expect(g.inception3a).toBeInstanceOf(models.Inception);
    expect((models.resnet18().layer1[0] as models.BasicBlock).bn1).toBeInstanceOf(BatchNorm2d);
  });
  // types only (VGG-19 has 144M parameters to initialise): a Sequential whose first child is a Conv2d
  const vgg = (m: models.VGG): unknown[] => {
    m.classifier[6] = new torch.nn.Linear(4096, 10);
    m.classifier = new torch.nn.Sequential(new torch.nn.Linear(25088, 10));
    return [m.features[0].weight, m.features.at(-1), m.features.length, m.classifier[6].inFeatures, m.classifier[0].outFeatures];
  };
  expect(typeof vgg).toBe('function');
  const vgg19: () => models.VGG = models.vgg19;
  expect(vgg19).toBe(models.vgg19);
});

// GoogLeNet in training mode: GoogLeNetOutputs [logits, auxLogits2, auxLogits1] as torchvision's (whose
// aux_logits2 holds aux1's logits), the same dropout draws, buffers and gradients.
describe('googlenet in training mode', () => {
  type Summary = { sum: number; norm: number; first: number[] };
  interface PyGoogLeNet { type: string; repr: string; outs: number[][]; grads: [string, Summary][]; buffers: [string, Summary][] }
  let py: PyGoogLeNet;
  beforeAll(() => {
    py = runPython<PyGoogLeNet>(`
import warnings
warnings.simplefilter('ignore')
import torchvision.models as M
def summary(t):
    t = t.detach().double()
    return {'sum': float(t.sum()), 'norm': float(t.norm()), 'first': t.flatten()[:6].tolist()}
torch.manual_seed(0)
m = M.googlenet(transform_input=True)
with torch.no_grad():
    for p in m.parameters():
        p.add_(torch.randn_like(p) * 0.05)
m.train()
torch.manual_seed(3)
x = torch.randn(2, 3, 96, 96)
out = m(x)
r = {'type': type(out).__name__, 'repr': repr(out), 'outs': [t.flatten().tolist() for t in out]}
torch.manual_seed(4)
loss = sum((o * torch.randn_like(o)).sum() * w for o, w in zip(out, [1, 0.3, 0.3]))
loss.backward()
r['grads'] = [[n, summary(p.grad)] for n, p in m.named_parameters()]
r['buffers'] = [[n, summary(b)] for n, b in m.named_buffers()]
result = r
`);
  });

  test('same seed: GoogLeNetOutputs, buffers and gradients', () => {
    torch.tidy(() => {
      torch.manualSeed(0);
      const m = models.googlenet({ transformInput: true });
      torch.noGrad(() => {
        for (const p of m.parameters()) p.add_(torch.randnLike(p).mul(0.05));
      });
      m.train();
      torch.manualSeed(3);
      const x = torch.randn([2, 3, 96, 96]);
      const out = m(x);
      expect(py.type).toBe('GoogLeNetOutputs');
      if (out instanceof torch.Tensor) throw new Error('expected GoogLeNetOutputs in training mode');
      expect(out.logits).toBe(out[0]);
      expect(out.auxLogits2).toBe(out[1]);
      expect(out.auxLogits1).toBe(out[2]);
      expect(String(out)).toBe(py.repr);
      out.forEach((t, i) => expect(relDiff(t!, py.outs[i])).toBeLessThan(1e-4));
      torch.manualSeed(4);
      const loss = out.map((o, i) => o!.mul(torch.randnLike(o!)).sum().mul([1, 0.3, 0.3][i])).reduce((a, b) => a.add(b));
      loss.backward();
      const params = [...m.namedParameters()];
      expect(params.map(([n]) => n)).toEqual(py.grads.map(([n]) => n));
      params.forEach(([n, p], i) => expectClose(p.grad!, py.grads[i][1], `grad of ${n}`));
      const buffers = [...m.namedBuffers()];
      expect(buffers.map(([n]) => n)).toEqual(py.buffers.map(([n]) => n));
      buffers.forEach(([n, b], i) => expectClose(b, py.buffers[i][1], n));
    });
  });
});
