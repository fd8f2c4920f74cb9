// torch.profiler and torch.autograd.profiler against PyTorch: the same small workloads profiled in
// Python and here give the same ops, call counts, input shapes, nesting under record_function,
// key_averages rows and table layout, and a Chrome trace with the same events. Times are never compared.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';

type Summary = {
  /** 'name [shapes]' -> how many events */
  events: Record<string, number>;
  /** key_averages(): key -> count */
  averages: Record<string, number>;
  /** key_averages(group_by_input_shape=True): 'key [shapes]' -> count */
  byShape: Record<string, number>;
  /** each record_function range: the names of every event nested in it, sorted */
  blocks: Record<string, string[]>;
  /** key_averages().table(sort_by='count'), times and percentages blanked */
  table: string[];
  tableWidths: number[];
};

// What both sides report: Python computes it from its profiler, TS from ours (same definitions).
const PY_SUMMARY = `
import re
def blank(line):
    return re.sub(r' +', ' ', re.sub(r'-?\\d+\\.\\d+(us|ms|s|%)', 'T', line))
def summary(prof, events, blocks=('my_block',)):
    counts, averages, by_shape = {}, {}, {}
    for e in events:
        k = e.name + ' ' + str(e.input_shapes)
        counts[k] = counts.get(k, 0) + 1
    for e in prof.key_averages():
        averages[e.key] = e.count
    for e in prof.key_averages(group_by_input_shape=True):
        by_shape[e.key + ' ' + str(e.input_shapes)] = e.count
    def nested(e):
        out = []
        for c in e.cpu_children:
            out += [c.name] + nested(c)
        return out
    table = prof.key_averages().table(sort_by='count', row_limit=100).split('\\n')
    table = table[:3] + sorted(table[3:-3]) + table[-3:]  # rows of equal count: sorted, as µs ties may reorder them
    return dict(events=counts, averages=averages, byShape=by_shape,
                blocks={e.name: sorted(nested(e)) for e in events if e.name in blocks},
                table=[blank(l) for l in table], tableWidths=[len(l) for l in table if not l.startswith('Self CPU time total')])
`;

// Python's backward() checks a given gradient with torch.is_same_size (an op, so an event);
// torch-node's backward compares the shapes in TypeScript. Only that event is left out of Python's side.
const PYTHON_ONLY = 'aten::is_same_size';
function withoutPythonOnly(s: Summary): Summary {
  const drop = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith(PYTHON_ONLY)));
  const keep = s.table.map((l) => !l.includes(PYTHON_ONLY));
  const blocks = Object.fromEntries(Object.entries(s.blocks).map(([k, names]) => [k, names.filter((n) => n !== PYTHON_ONLY)]));
  return { ...s, events: drop(s.events), averages: drop(s.averages), byShape: drop(s.byShape), blocks,
    table: s.table.filter((_, i) => keep[i]), tableWidths: s.tableWidths.filter((_, i) => keep[i]) };
}

const shapes = (s: number[][] | '') => (s === '' ? '' : `[${s.map((d) => `[${d.join(', ')}]`).join(', ')}]`);
const blank = (line: string) => line.replace(/-?\d+\.\d+(us|ms|s|%)/g, 'T').replace(/ +/g, ' ');

function summary(prof: { keyAverages: torch.profiler.Profile['keyAverages'] }, events: torch.profiler.FunctionEvent[], blocks = ['my_block']): Summary {
  const count = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);
  const out: Summary = { events: {}, averages: {}, byShape: {}, blocks: {}, table: [], tableWidths: [] };
  for (const e of events) count(out.events, `${e.name} ${shapes(e.inputShapes)}`);
  for (const e of prof.keyAverages()) out.averages[e.key!] = e.count;
  for (const e of prof.keyAverages({ groupByInputShape: true })) out.byShape[`${e.key} ${shapes(e.inputShapes)}`] = e.count;
  const nested = (e: torch.profiler.FunctionEvent): string[] => e.cpuChildren.flatMap((c) => [c.name, ...nested(c)]);
  for (const e of events) if (blocks.includes(e.name)) out.blocks[e.name] = nested(e).sort();
  let table = prof.keyAverages().table({ sortBy: 'count', rowLimit: 100 }).split('\n');
  table = [...table.slice(0, 3), ...table.slice(3, -3).sort(), ...table.slice(-3)];
  out.table = table.map(blank);
  out.tableWidths = table.filter((l) => !l.startsWith('Self CPU time total')).map((l) => l.length); // the total's width varies with the time
  return out;
}

describe('torch.profiler.profile against PyTorch', () => {
  const X = [[0.5, -1, 2, 0.25, 1.5], [1, 0, -0.5, 2, -2], [0.3, 0.7, -1.1, 0.9, 0.2], [-0.4, 1.2, 0.6, -0.8, 1]];

  test('ops, call counts, input shapes, record_function nesting, key_averages and table', () => {
    const py = runPython<{ rec: Summary; plain: Summary; trace: string[] }>(`${PY_SUMMARY}
from torch.profiler import profile, record_function, ProfilerActivity
x = torch.tensor(${JSON.stringify(X)})
w = torch.ones(5, 3).mul(0.1).requires_grad_()
g = torch.tensor(1.0)
def work():
    with record_function('my_block'):
        y = x.matmul(w).relu()
    z = y.add(x.sum(1, keepdim=True)).mul(2).sum(0).sum(0)
    z.backward(g)
work()  # warm-up: one-time initialisations stay out of the profile
with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    work()
rec = summary(prof, prof.events())
import tempfile, os
path = os.path.join(tempfile.mkdtemp(), 'trace.json')
prof.export_chrome_trace(path)
trace = sorted(e['name'] for e in json.load(open(path)))
with profile(activities=[ProfilerActivity.CPU]) as prof2:
    work()
result = dict(rec=rec, plain=summary(prof2, prof2.events()), trace=trace)
`);
    const x = torch.tensor(X);
    const w = torch.ones(5, 3).mul(0.1).requiresGrad_();
    const g = torch.tensor(1, { dtype: torch.float32 });
    const work = () => {
      const y = torch.profiler.recordFunction('my_block', () => x.matmul(w).relu());
      const z = y.add(x.sum(1, { keepdim: true })).mul(2).sum(0).sum(0);
      z.backward({ gradient: g });
    };
    work();
    const prof = torch.profiler.profile({ activities: [torch.profiler.ProfilerActivity.CPU], recordShapes: true }, () => work());
    const rec = summary(prof, prof.events()!);
    py.rec = withoutPythonOnly(py.rec);
    py.plain = withoutPythonOnly(py.plain);
    expect(rec.events).toEqual(py.rec.events);
    expect(rec.averages).toEqual(py.rec.averages);
    expect(rec.byShape).toEqual(py.rec.byShape);
    expect(rec.blocks).toEqual(py.rec.blocks);
    expect(rec.blocks.my_block).toEqual(expect.arrayContaining(['aten::matmul', 'aten::mm', 'aten::relu']));
    expect(rec.table).toEqual(py.rec.table);
    expect(rec.tableWidths).toEqual(py.rec.tableWidths);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-profiler-'));
    const file = path.join(dir, 'trace.json');
    prof.exportChromeTrace(file);
    const trace = JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string; ph: string; pid: string; ts: number; dur: number }[];
    expect(trace.map((e) => e.name).sort()).toEqual(py.trace.filter((n) => n !== PYTHON_ONLY));
    expect(trace.every((e) => e.ph === 'X' && e.pid === 'CPU functions' && e.dur >= 0)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['trace.json']); // the temporary file was renamed
    fs.rmSync(dir, { recursive: true });

    // without recordShapes: no shapes, so no 'Input Shapes' column
    const plain = summary(torch.profiler.profile({ activities: [torch.profiler.ProfilerActivity.CPU] }, () => work()), []);
    expect(plain.averages).toEqual(py.plain.averages);
    expect(plain.table).toEqual(py.plain.table);
    expect(plain.tableWidths).toEqual(py.plain.tableWidths);
  });

  test('a small model forward and backward; the older torch.autograd.profiler API', () => {
    const py = runPython<{ model: Summary; legacy: Summary; legacyStr: string[] }>(`${PY_SUMMARY}
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
x = torch.randn(3, 4)
target = torch.tensor([0, 1, 1])
loss_fn = torch.nn.CrossEntropyLoss()
g = torch.tensor(1.0)
def step():
    with torch.profiler.record_function('forward'):
        loss = loss_fn(model(x), target)
    with torch.profiler.record_function('backward'):
        loss.backward(g)
step()
with torch.profiler.profile(record_shapes=True) as prof:
    step()
model_summary = summary(prof, prof.events(), ('forward', 'backward'))
with torch.autograd.profiler.profile(record_shapes=True) as legacy:
    with torch.autograd.profiler.record_function('my_block'):
        y = model(x).relu()
result = dict(model=model_summary, legacy=summary(legacy, legacy.function_events),
              legacyStr=[blank(l) for l in str(legacy).split('\\n')])
`);
    torch.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
    const x = torch.randn(3, 4);
    const target = torch.tensor([0, 1, 1]);
    const lossFn = new nn.CrossEntropyLoss();
    const g = torch.tensor(1, { dtype: torch.float32 });
    const step = () => {
      const loss = torch.profiler.recordFunction('forward', () => lossFn(model(x), target));
      torch.profiler.recordFunction('backward', () => loss.backward({ gradient: g }));
    };
    step();
    const prof = torch.profiler.profile({ recordShapes: true }, () => step());
    const got = summary(prof, prof.events()!, ['forward', 'backward']);
    py.model = withoutPythonOnly(py.model);
    expect(got.events).toEqual(py.model.events);
    expect(got.averages).toEqual(py.model.averages);
    expect(got.byShape).toEqual(py.model.byShape);
    expect(got.blocks).toEqual(py.model.blocks);
    expect(got.table).toEqual(py.model.table);

    const legacy = torch.autograd.profiler.profile({ recordShapes: true }, () => {
      torch.autograd.profiler.recordFunction('my_block', () => model(x).relu());
    });
    const old = summary(legacy, legacy.functionEvents!);
    expect(old.events).toEqual(py.legacy.events);
    expect(old.blocks).toEqual(py.legacy.blocks);
    expect(old.table).toEqual(py.legacy.table);
    // str(prof): every event, in order of start (ties at the same µs may swap: rows compared as a set)
    const lines = String(legacy).split('\n').map(blank);
    expect(lines.slice(0, 3)).toEqual(py.legacyStr.slice(0, 3));
    expect([...lines].sort()).toEqual([...py.legacyStr].sort());
  });

  test('schedule, step() and onTraceReady: the same steps recorded, the same ProfilerStep ranges', () => {
    const py = runPython<{ actions: number[]; traces: Record<string, number>[]; steps: string[][] }>(`
from torch.profiler import profile, schedule, ProfilerAction
import warnings
s = schedule(wait=1, warmup=1, active=2, repeat=2, skip_first=1)
actions = [s(i).value for i in range(14)]
x = torch.ones(2, 2)
traces, steps = [], []
def ready(p):
    traces.append({e.key: e.count for e in p.key_averages()})
    steps.append(sorted(e.name for e in p.events() if e.name.startswith('ProfilerStep')))
with profile(schedule=schedule(wait=1, warmup=1, active=2), on_trace_ready=ready) as p:
    for i in range(9):
        x.add(i).mul(2)
        p.step()
result = dict(actions=actions, traces=traces, steps=steps)
`);
    const s = torch.profiler.schedule({ wait: 1, warmup: 1, active: 2, repeat: 2, skipFirst: 1 });
    expect(Array.from({ length: 14 }, (_, i) => s(i))).toEqual(py.actions);
    const x = torch.ones(2, 2);
    const traces: Record<string, number>[] = [];
    const steps: string[][] = [];
    const ready = (p: torch.profiler.Profile) => {
      traces.push(Object.fromEntries(p.keyAverages().map((e) => [e.key!, e.count])));
      steps.push(p.events()!.filter((e) => e.name.startsWith('ProfilerStep')).map((e) => e.name).sort());
    };
    torch.profiler.profile({ schedule: torch.profiler.schedule({ wait: 1, warmup: 1, active: 2 }), onTraceReady: ready }, (p) => {
      for (let i = 0; i < 9; i++) {
        x.add(i).mul(2);
        p.step();
      }
    });
    expect(steps).toEqual(py.steps);
    expect(traces).toEqual(py.traces);
  });

  test('profileMemory: the memory columns, the allocations and frees, as in Python', () => {
    // intermediates are freed where Python frees them (del), so both sides record the same allocations
    const py = runPython<{ add: number; net: number; keys: string[]; header: string }>(`
from torch.profiler import profile
x = torch.ones(4, 4)
def work():
    a = x.add(x)
    m = a.mul(x)
    del a
    s = m.sum(0)
    del m
    return s
work()
with profile(profile_memory=True) as prof:
    s = work()
averages = prof.key_averages()
result = dict(add=[e.cpu_memory_usage for e in averages if e.key == 'aten::add'][0],
              net=sum(e.self_cpu_memory_usage for e in averages), keys=sorted(e.key for e in averages),
              header=averages.table(sort_by='count').split('\\n')[1])
`);
    const x = torch.ones(4, 4);
    const work = () => {
      const a = x.add(x);
      const m = a.mul(x);
      a.dispose();
      const s = m.sum(0);
      m.dispose();
      return s;
    };
    work();
    const prof = torch.profiler.profile({ profileMemory: true }, () => void work());
    const averages = prof.keyAverages();
    expect(averages.find((e) => e.key === 'aten::add')!.cpuMemoryUsage).toBe(py.add);
    // every allocation and free, wherever the µs boundaries attribute it
    expect(averages.reduce((n, e) => n + e.selfCpuMemoryUsage, 0)).toBe(py.net);
    expect(averages.map((e) => e.key!).sort()).toEqual(py.keys);
    expect(averages.table({ sortBy: 'count' }).split('\n')[1]).toBe(py.header);
  });

  test('profileMemory with blocks of 1 MiB and more (the CPU block cache): the bytes asked for, as Python', () => {
    const py = runPython<{ add: number; mul: number }>(`
from torch.profiler import profile
x = torch.ones(512, 1024)
def work():
    a = x.add(x)
    s = a.mul(2).sum()
    del a
    return s
work()
with profile(profile_memory=True) as prof:
    s = work()
averages = prof.key_averages()
result = dict(add=[e.cpu_memory_usage for e in averages if e.key == 'aten::add'][0], mul=[e.cpu_memory_usage for e in averages if e.key == 'aten::mul'][0])
`);
    const x = torch.ones(512, 1024);
    const work = () => {
      const a = x.add(x);
      const m = a.mul(2);
      const s = m.sum();
      a.dispose();
      m.dispose();
      return s;
    };
    work(); // the second run reuses the cached blocks
    const averages = torch.profiler.profile({ profileMemory: true }, () => void work()).keyAverages();
    // each op's 2 MiB result (the profiler attributes memory events by microsecond, so a neighbouring
    // op's few bytes may land in an op's window, on either side, now and then)
    const block = 512 * 1024 * 4;
    for (const [key, theirs] of [['aten::add', py.add], ['aten::mul', py.mul]] as const) {
      const ours = averages.find((e) => e.key === key)!.cpuMemoryUsage;
      expect([ours >= block && ours <= block + 16, theirs >= block && theirs <= block + 16]).toEqual([true, true]);
    }
  });

  test('async functions: the profile covers the awaited work; start() / stop() by hand', async () => {
    const x = torch.ones(3);
    const prof = await torch.profiler.profile({}, async () => {
      await new Promise((r) => setTimeout(r, 1));
      torch.profiler.recordFunction('later', () => x.mul(3));
    });
    expect(prof.events()!.map((e) => e.name)).toEqual(expect.arrayContaining(['later', 'aten::mul']));
    // one profiler per thread, as in PyTorch (its message: RuntimeError)
    const outer = torch.profiler.profile({}, () => {
      expect(() => torch.profiler.profile({}, () => x.neg())).toThrow(/^Profiler is already enabled on this thread\./);
      x.abs();
    });
    // the inner one never started, so its function never ran; the outer one recorded on
    expect(outer.events()!.map((e) => e.name)).toEqual(expect.arrayContaining(['aten::abs']));
    expect(outer.events()!.map((e) => e.name)).not.toContain('aten::neg');
    const manual = torch.profiler.profile({ recordShapes: true }).start();
    x.neg();
    manual.stop();
    expect(manual.events()!.map((e) => [e.name, e.inputShapes])).toEqual([['aten::neg', [[3]]]]);
    expect(() => torch.profiler.profile({ record_shapes: true } as never)).toThrow(
      "profile() got an unexpected keyword argument 'record_shapes' (did you mean 'recordShapes'?)",
    );
  });

  test('nested ranges, a disabled profiler, positional forms, the TensorBoard trace handler', () => {
    const py = runPython<{ blocks: Record<string, string[]>; table: string[] }>(`
from torch.profiler import profile, record_function, tensorboard_trace_handler
x = torch.ones(3)
def work():
    with record_function('outer'):
        x.add(1)
        with record_function('inner'):
            x.mul(2).neg()
work()
with profile() as prof:
    work()
def nested(e):
    return sorted(sum(([c.name] + nested(c) for c in e.cpu_children), []))
t = prof.key_averages().table('count', 2).split('\\n')
result = dict(blocks={e.name: nested(e) for e in prof.events() if e.name in ('outer', 'inner')},
              table=[len(t)] + t[:3])
`);
    const x = torch.ones(3);
    const work = () =>
      torch.profiler.recordFunction('outer', () => {
        x.add(1);
        torch.profiler.recordFunction('inner', () => x.mul(2).neg());
      });
    work();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-profiler-tb-'));
    const prof = torch.profiler.profile({ onTraceReady: torch.profiler.tensorboardTraceHandler(dir, 'worker0') }, () => work());
    const nested = (e: torch.profiler.FunctionEvent): string[] => e.cpuChildren.flatMap((c) => [c.name, ...nested(c)]).sort();
    const blocks = Object.fromEntries(prof.events()!.filter((e) => ['outer', 'inner'].includes(e.name)).map((e) => [e.name, nested(e)]));
    expect(blocks).toEqual(py.blocks);
    // table(sortBy, rowLimit) as Python's positional call
    const t = prof.keyAverages().table('count', 2).split('\n');
    expect([t.length, ...t.slice(0, 3)]).toEqual(py.table);
    expect(prof.keyAverages().table('count', 2)).toBe(prof.keyAverages().table({ sortBy: 'count', rowLimit: 2 }));
    // onTraceReady ran once, at stop: one trace file in TensorBoard's naming
    const files = fs.readdirSync(dir);
    expect(files).toEqual([expect.stringMatching(/^worker0\.\d+\.pt\.trace\.json$/)]);
    expect((JSON.parse(fs.readFileSync(path.join(dir, files[0]), 'utf8')) as { name: string }[]).map((e) => e.name)).toEqual(
      prof.events()!.map((e) => e.name),
    );
    fs.rmSync(dir, { recursive: true });
    // enabled=false: nothing recorded, nothing left on
    const off = torch.autograd.profiler.profile(false, {}, () => x.add(1));
    expect(off.functionEvents).toBeNull();
    expect(() => off.table()).toThrow("Profiler didn't finish running");
  });

  test('withFlops: the FLOP counts of matrix products and convolutions, and the FLOPs column', () => {
    const py = runPython<{ flops: Record<string, number>; header: string }>(`
a, b = torch.ones(8, 16), torch.ones(16, 4)
img, weight = torch.ones(1, 3, 10, 10), torch.ones(6, 3, 3, 3)
def work():
    a.matmul(b)
    torch.nn.functional.conv2d(img, weight, padding=1)
work()
with torch.profiler.profile(with_flops=True) as prof:
    work()
averages = prof.key_averages()
result = dict(flops={e.key: e.flops for e in averages if e.flops}, header=averages.table(sort_by='count').split('\\n')[1])
`);
    const a = torch.ones(8, 16), b = torch.ones(16, 4);
    const img = torch.ones(1, 3, 10, 10), weight = torch.ones(6, 3, 3, 3);
    const work = () => {
      a.matmul(b);
      torch.nn.functional.conv2d(img, weight, { padding: 1 });
    };
    work();
    const averages = torch.profiler.profile({ withFlops: true }, () => work()).keyAverages();
    expect(Object.fromEntries(averages.filter((e) => e.flops).map((e) => [e.key!, e.flops]))).toEqual(py.flops);
    expect(Object.keys(py.flops).length).toBeGreaterThan(0);
    expect(averages.table({ sortBy: 'count' }).split('\n')[1]).toBe(py.header);
  });
});
