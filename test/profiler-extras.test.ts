// The rest of torch.profiler 1.13 against PyTorch: ExecutionGraphObserver (libtorch's observer: the
// same JSON graph for the same ops), record_function's decorator form, kineto_available,
// RecordScope, add_metadata.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';

type EgNode = Record<string, unknown>;
type EgFile = { schema: string; nodes: EgNode[] } & Record<string, unknown>;
// What varies from run to run: the process, the clock; the numbers given to tensors and storages
// (by address, which the allocator may reuse), to nodes (counted with them) and the sequence numbers
// (counted from the process's first autograd op)
const VARYING = ['pid', 'time', 'start_ts', 'finish_ts'];
const isTensorInfo = (v: unknown) => Array.isArray(v) && v.length === 6 && v[5] === 'cpu';
const blankIds = (v: unknown): unknown => (isTensorInfo(v) ? ['id', 'id', ...(v as unknown[]).slice(2)] : Array.isArray(v) ? v.map(blankIds) : v);
function strip(g: EgFile) {
  const names = new Map(g.nodes.map((n) => [n.id, n.name]));
  const nodes = g.nodes.map(({ id, rf_id, parent, seq_id, inputs, outputs, ...rest }) => ({
    ...rest,
    parent: names.get(parent),
    inputs: blankIds(inputs),
    outputs: blankIds(outputs),
  }));
  return { ...Object.fromEntries(Object.entries(g).filter(([k]) => !VARYING.includes(k))), nodes };
}

describe('torch.profiler.ExecutionGraphObserver', () => {
  test('the same execution graph JSON as PyTorch for the same ops', () => {
    const py = runPython<{ graph: EgFile; path: string; again: boolean }>(`
import os, tempfile
from torch.profiler import ExecutionGraphObserver
x = torch.ones(2, 3)
w = torch.tensor([[1.0], [2.0], [3.0]])
path = os.path.join(tempfile.mkdtemp(), 'eg.json')
eg = ExecutionGraphObserver()
eg.register_callback(path)
eg.register_callback(path + '.other')  # already registered: nothing
x.mul(2).sum()                          # not started: not recorded
eg.start()
y = x.matmul(w).relu().sum()
eg.stop()
x.add(1)                                # stopped: not recorded
eg.unregister_callback()
result = dict(graph=json.load(open(path)), path=eg.get_output_file_path(), again=os.path.exists(path + '.other'))
`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-eg-'));
    const file = path.join(dir, 'eg.json');
    const x = torch.ones(2, 3);
    const w = torch.tensor([[1], [2], [3]], { dtype: torch.float32 });
    const eg = new torch.profiler.ExecutionGraphObserver();
    eg.registerCallback(file);
    eg.registerCallback(`${file}.other`);
    x.mul(2).sum();
    eg.start();
    x.matmul(w).relu().sum();
    eg.stop();
    x.add(1);
    eg.unregisterCallback();
    eg.unregisterCallback(); // already removed: nothing
    const graph = JSON.parse(fs.readFileSync(file, 'utf8')) as EgFile;
    expect(eg.getOutputFilePath()).toBe(file);
    expect(fs.existsSync(`${file}.other`)).toBe(py.again);
    fs.rmSync(dir, { recursive: true });

    expect(Object.keys(graph).sort()).toEqual(Object.keys(py.graph).sort());
    expect(strip(graph)).toEqual(strip(py.graph));
    expect(graph.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['aten::matmul', 'aten::mm', 'aten::relu', 'aten::sum']));
  });

  test('getOutputFilePath before registering; start and stop before registering do nothing', () => {
    const eg = new torch.profiler.ExecutionGraphObserver();
    expect(() => eg.getOutputFilePath()).toThrow("'ExecutionGraphObserver' object has no attribute '_output_file_path'");
    eg.start();
    eg.stop();
    eg.unregisterCallback();
  });
});

describe('record_function as a decorator, kineto_available, RecordScope, add_metadata', () => {
  test('a function wrapped in a range: one range per call, its ops inside, its result returned', async () => {
    const py = runPython<{ names: Record<string, number> }>(`
from torch.profiler import profile, record_function
x = torch.ones(3)
@record_function('scaled')
def scaled(t, k):
    return t.mul(k)
scaled(x, 2)
with profile() as prof:
    a = scaled(x, 2)
    b = scaled(a, 3)
names = {}
for e in prof.events(): names[e.name] = names.get(e.name, 0) + 1
result = dict(names=names)
`);
    const x = torch.ones(3);
    const scaled = new torch.profiler.RecordFunction('scaled').wrap((t: torch.Tensor, k: number) => t.mul(k));
    scaled(x, 2);
    let b: torch.Tensor | undefined;
    const prof = torch.profiler.profile(() => {
      const a = scaled(x, 2);
      b = scaled(a, 3);
    });
    expect(b!.tolist()).toEqual([6, 6, 6]);
    const names: Record<string, number> = {};
    for (const e of prof.events()!) names[e.name] = (names[e.name] ?? 0) + 1;
    expect(names).toEqual(py.names);
    // each range holds its call's mul (by start time: the tree's nesting also hangs on rounded ends)
    const muls = prof.events()!.filter((e) => e.name === 'aten::mul');
    const ranges = prof.events()!.filter((e) => e.name === 'scaled');
    expect(ranges.map((r) => muls.filter((m) => m.timeRange.start >= r.timeRange.start && m.timeRange.start <= r.timeRange.end).length)).toEqual([1, 1]);

    // async functions: the range lasts until the promise settles; `this` reaches the function
    const obj = {
      k: 5,
      run: new torch.profiler.RecordFunction('async_range').wrap(async function (this: { k: number }, t: torch.Tensor) {
        await new Promise((resolve) => setImmediate(resolve));
        return t.mul(this.k);
      }),
    };
    const asyncProf = await torch.profiler.profile(async () => {
      await obj.run(x);
    });
    const range = asyncProf.events()!.find((e) => e.name === 'async_range')!;
    const mul = asyncProf.events()!.find((e) => e.name === 'aten::mul')!;
    expect(mul.timeRange.start).toBeGreaterThanOrEqual(range.timeRange.start);
    expect(mul.timeRange.start).toBeLessThanOrEqual(range.timeRange.end);
  });

  test('kineto_available, RecordScope and add_metadata as in PyTorch', () => {
    const py = runPython<{ kineto: boolean; scopes: [string, number][] }>(`
result = dict(kineto=torch.profiler.kineto_available(),
              scopes=[[k, int(v)] for k, v in torch.profiler.RecordScope.__members__.items()])
`);
    expect(torch.profiler.kinetoAvailable()).toBe(py.kineto);
    const scopes = Object.entries(torch.profiler.RecordScope).filter(([, v]) => typeof v === 'number');
    expect(scopes).toEqual(py.scopes);
    // the backward node events carry BACKWARD_FUNCTION as their scope
    const w = torch.ones(2).requiresGrad_();
    const prof = torch.profiler.profile(() => w.mul(2).sum().backward());
    expect(prof.events()!.find((e) => e.name === 'SumBackward0')!.scope).toBe(torch.profiler.RecordScope.BACKWARD_FUNCTION);
    // without libkineto, metadata is only logged by libtorch, as in PyTorch's build beside this one
    const meta = torch.profiler.profile(() => undefined);
    expect(() => meta.addMetadata('run', 'say "hi"')).not.toThrow();
    expect(() => meta.addMetadataJson('config', '{"lr": 0.1}')).not.toThrow();
  });
});
