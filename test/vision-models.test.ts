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
import { oraclePython } from './helpers/python';
import { BUILDERS as ALL_BUILDERS } from './helpers/vision-builders';

jest.setTimeout(900_000);

const BUILDERS = ALL_BUILDERS.map(([py, , build]) => [py, build] as const);
/** How many saved files may exist at once (Python waits for this side to delete older ones). */
const AHEAD = 2;
const inputShape = (name: string) => (name === 'vit_b_16' ? [1, 3, 224, 224] : [2, 3, 64, 64]);
// tmpfs: the files never reach a disk (5x faster to write here than the disk-backed tmpdir)
const base = fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').isDirectory() ? '/dev/shm' : os.tmpdir();
const dir = fs.mkdtempSync(path.join(base, 'vision-models-'));
const weightsFile = (name: string) => path.join(dir, `${name}.pth`);
const badFile = (name: string) => path.join(dir, `${name}-bad.pth`);

interface PyModel { keys: [string, number[]][]; repr: string; init: number[]; out: number[]; fileOut: number[]; badError: string }

const PROGRAM = `
import json, sys, torch
import torchvision.models as M
torch.set_num_threads(1)
names = ${JSON.stringify(BUILDERS.map(([n]) => n))}
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
def perturb(m, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        for n, p in m.named_parameters():
            if p.numel() < 2000000:
                p.add_(torch.randn_like(p) * 0.05)
        for n, b in m.named_buffers():
            if n.endswith('running_mean'): b.uniform_(-0.2, 0.2)
            if n.endswith('running_var'): b.uniform_(1.0, 2.0)
def first(sd):
    return [float(t.flatten()[0]) for t in list(sd.values())[:40] if t.is_floating_point()]
for i, name in enumerate(names):
    torch.manual_seed(0)
    m = getattr(M, name)()
    sd = m.state_dict()
    r = {'keys': [[k, list(v.shape)] for k, v in sd.items()], 'repr': repr(m), 'init': first(sd)}
    perturb(m, 1)
    m.eval()
    shape = [1, 3, 224, 224] if name == 'vit_b_16' else [2, 3, 64, 64]
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
    perturb(m, 2)
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

function perturb(m: Module, seed: number): void {
  torch.manualSeed(seed);
  torch.noGrad(() => {
    for (const [, p] of m.namedParameters()) if (p.numel() < 2_000_000) p.add_(torch.randnLike(p).mul(0.05));
    for (const [n, b] of m.namedBuffers()) {
      if (n.endsWith('running_mean')) b.uniform_(-0.2, 0.2);
      if (n.endsWith('running_var')) b.uniform_(1.0, 2.0);
    }
  });
}

function relDiff(got: torch.Tensor, want: number[]): number {
  // float64 given explicitly: large outputs (resnet152's are ~1e23) are integral JS numbers, read as int64 otherwise
  const w = torch.tensor(want, { dtype: torch.float64 });
  const scale = Math.max(w.abs().max().item() as number, 1e-6);
  return (got.flatten().double().sub(w).abs().max().item() as number) / scale;
}

describe.each(BUILDERS)('%s', (name, build) => {
  test("same seed -> torchvision's weights, keys, shapes, repr, outputs; torchvision's saved state_dict loads strictly (weights: file) with its outputs", async () => {
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
        const first = Object.values(sd).slice(0, 40).filter((t) => t.dtype.isFloatingPoint).map((t) => t.flatten().select(0, 0).item() as number);
        expect(first.length).toBe(py.init.length);
        first.forEach((v, i) => expect(v).toBeCloseTo(py.init[i], 6));
        perturb(m, 1);
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
