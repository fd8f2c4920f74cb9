// torch.profiler's withStack: each op recorded on the JS thread carries the JS stack of its call
// ("file(line): function", innermost first, torch-node's own frames left out), backward nodes take
// their forward op's stack, and key_averages(groupByStackN), the table's Source Location column,
// exportStacks and the Chrome trace use it as Python's profiler does. Python's stacks hold Python
// frames: what is compared with Python is their shape (which events have one, which share one, the
// table's layout, the stacks file's lines), never the frame text. Times are never compared.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { pythonFrame } from '../lib/profiler/stack';
import { runPython } from './helpers/python';

const SOURCE = fs.readFileSync(__filename, 'utf8').split('\n');
const THIS_FILE = path.relative(process.cwd(), __filename);
/** "file(line): fn" for the line of this file that ends with `// @marker` */
function frameAt(marker: string, fn: string): string {
  const line = SOURCE.findIndex((l) => l.trimEnd().endsWith(`// @${marker}`));
  if (line < 0) throw new Error(`no line marked ${marker}`);
  return `${THIS_FILE}(${line + 1}): ${fn}`;
}

type Ev = torch.profiler.FunctionEvent;
const BACKWARD_FUNCTION = 1;
function backwardParent(e: Ev | null): Ev | null {
  return e === null ? null : e.scope === BACKWARD_FUNCTION ? e : backwardParent(e.cpuParent);
}

// The same program in both: one op per line (Python's stacks name the builtin called; ours the line).
const PY_PROGRAM = `
import os, tempfile
from torch.profiler import profile
x = torch.tensor([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]])
w = torch.ones(3, 2).mul(0.1).requires_grad_()
g = torch.tensor(1.0)
def work():
    a = x.matmul(w)
    b = a.relu()
    c = b.mul(3)
    d = c.add(a)
    e = d.mul(2)
    s = e.sum()
    s.backward(g)
work()
with profile(with_stack=True) as prof:
    work()
events = [e for e in prof.events() if e.name != 'aten::is_same_size']
`;

function work(x: torch.Tensor, w: torch.Tensor, g: torch.Tensor): void {
  const a = x.matmul(w); // @matmul
  const b = a.relu(); // @relu
  const c = b.mul(3); // @mul1
  const d = c.add(a); // @add
  const e = d.mul(2); // @mul2
  const s = e.sum(); // @sum
  s.backward({ gradient: g }); // @backward
}

function inputs() {
  return {
    x: torch.tensor([[0.5, -1, 2], [1, 0, -0.5]]),
    w: torch.ones(3, 2).mul(0.1).requiresGrad_(),
    g: torch.tensor(1, { dtype: torch.float32 }),
  };
}

function profiled(options: torch.profiler.ProfileOptions = { withStack: true }) {
  const { x, w, g } = inputs();
  work(x, w, g);
  return torch.profiler.profile(options, () => work(x, w, g)); // @profiled
}

describe('withStack records the JS stack of each op', () => {
  test("forward ops: the user's frames, innermost first, torch-node's own left out", () => {
    const events = profiled().events()!;
    // the forward ops: those before backward() (µs-rounded times may set a backward op at top level)
    const backwardStart = Math.min(...events.filter((e) => e.name.startsWith('autograd::engine')).map((e) => e.timeRange.start));
    const top = (name: string) => events.filter((e) => e.name === name && e.cpuParent === null && e.timeRange.start < backwardStart);
    const expected: [string, string][] = [
      ['aten::matmul', 'matmul'],
      ['aten::relu', 'relu'],
      ['aten::add', 'add'],
      ['aten::sum', 'sum'],
    ];
    for (const [name, marker] of expected) {
      const [e] = top(name);
      expect(e.stack[0]).toBe(frameAt(marker, 'work'));
      // the caller next: the arrow given to profile()
      expect(e.stack[1]).toBe(frameAt('profiled', '<anonymous>'));
      // ops nested in it share its stack
      for (const child of e.cpuChildren) expect(child.stack).toEqual(e.stack);
    }
    const muls = top('aten::mul').map((e) => e.stack[0]);
    expect(muls).toEqual([frameAt('mul1', 'work'), frameAt('mul2', 'work')]);
    const libDir = path.join(path.dirname(__dirname), 'lib') + path.sep;
    for (const e of events) {
      for (const frame of e.stack) {
        expect(frame).toMatch(/^.+\(\d+\): .+$|^[^()]+: .+$/);
        expect(frame.includes(libDir) || frame.startsWith('lib/')).toBe(false);
      }
    }
  });

  test('against Python: which events have a stack; backward nodes take their forward op\'s', () => {
    const py = runPython<{ forwardHaveStacks: boolean; bwMatches: boolean[]; evalHasStack: boolean[]; accumulate: number[] }>(`${PY_PROGRAM}
def bw_parent(e):
    return None if e is None else (e if e.scope == 1 else bw_parent(e.cpu_parent))
by_seq = {}
for e in events:
    if bw_parent(e) is None: by_seq.setdefault(e.sequence_nr, e)
nodes = [e for e in events if e.scope == 1 and e.name != 'torch::autograd::AccumulateGrad']
result = dict(forwardHaveStacks=all(len(e.stack) > 0 for e in events if bw_parent(e) is None),
              bwMatches=[e.stack == by_seq[e.sequence_nr].stack and len(e.stack) > 0 for e in nodes],
              evalHasStack=[len(e.stack) > 0 for e in events if e.name.startswith('autograd::engine')],
              accumulate=[len(e.stack) for e in events if e.name == 'torch::autograd::AccumulateGrad'])
`);
    const events = profiled().events()!;
    const bySeq = new Map<number, Ev>();
    for (const e of events) if (backwardParent(e) === null && !bySeq.has(e.sequenceNr)) bySeq.set(e.sequenceNr, e);
    expect(events.filter((e) => backwardParent(e) === null).every((e) => e.stack.length > 0)).toBe(py.forwardHaveStacks);
    const nodes = events.filter((e) => e.scope === BACKWARD_FUNCTION && e.name !== 'torch::autograd::AccumulateGrad');
    expect(nodes.map((e) => e.stack.length > 0 && JSON.stringify(e.stack) === JSON.stringify(bySeq.get(e.sequenceNr)!.stack))).toEqual(py.bwMatches);
    // and the ops a node runs share its stack
    for (const node of nodes) for (const child of node.cpuChildren) expect(child.stack).toEqual(node.stack);
    const evaluate = events.filter((e) => e.name.startsWith('autograd::engine'));
    expect(evaluate.map((e) => e.stack.length > 0)).toEqual(py.evalHasStack);
    // the engine's own events run inside backward(): its line is their innermost frame
    for (const e of evaluate) expect(e.stack[0]).toBe(frameAt('backward', 'work'));
    // a node made by no recorded forward op (the leaf's gradient accumulation) has none, as in Python
    expect(events.filter((e) => e.name === 'torch::autograd::AccumulateGrad').map((e) => e.stack.length)).toEqual(py.accumulate);
  });

  test('key_averages(groupByStackN) splits a key by call site; the table shows the Source Location', () => {
    // (which rows Python's key_averages splits depends on its frames: a function's line there is
    // where its frame began, and a builtin's frame names the object it is bound to)
    const py = runPython<{ header: string[]; kinds: string[]; plainHeader: string[] }>(`${PY_PROGRAM}
import re
def kind(line):
    if line.startswith('---'): return 'sep'
    if 'Self CPU time total' in line: return 'total'
    if line.strip() == '': return 'blank'
    if 'Source Location' in line: return 'header'
    return 'row' if re.search(r'\\d+\\.\\d+(us|ms|s) ', line) else 'more'
table = prof.key_averages(group_by_stack_n=3).table(sort_by='count', row_limit=4)
result = dict(header=re.split(r'  +', table.split('\\n')[1].strip()),
              kinds=[kind(l) for l in table.split('\\n')[:-1]],
              plainHeader=re.split(r'  +', prof.key_averages().table().split('\\n')[1].strip()))
`);
    const prof = profiled();
    // the rows of forward call sites (backward ops join their forward op's row; those whose
    // µs-rounded times set them outside their node have backward()'s line, left out here)
    const forwardLines = ['matmul', 'mul1', 'mul2', 'add', 'sum'].map((m) => frameAt(m, 'work'));
    const rows: Record<string, number> = {};
    for (const e of prof.keyAverages({ groupByStackN: 1 })) {
      if (forwardLines.includes(e.stack[0]) && e.cpuParent === null) rows[e.key!] = (rows[e.key!] ?? 0) + 1;
    }
    expect(rows).toEqual({ 'aten::matmul': 1, 'aten::mul': 2, 'aten::add': 1, 'aten::sum': 1 });
    const byStack = prof.keyAverages({ groupByStackN: 2 });
    const mulStacks = byStack.filter((e) => e.key === 'aten::mul' && e.stack[0] !== frameAt('backward', 'work')).map((e) => e.stack);
    expect(mulStacks).toEqual([
      [frameAt('mul1', 'work'), frameAt('profiled', '<anonymous>')],
      [frameAt('mul2', 'work'), frameAt('profiled', '<anonymous>')],
    ]);

    const kind = (line: string) =>
      line.startsWith('---') ? 'sep' : line.includes('Self CPU time total') ? 'total' : line.trim() === '' ? 'blank' : line.includes('Source Location') ? 'header' : /\d+\.\d+(us|ms|s) /.test(line) ? 'row' : 'more';
    const table = prof.keyAverages({ groupByStackN: 3 }).table({ sortBy: 'count', rowLimit: 4 });
    const lines = table.split('\n');
    expect(lines[1].trim().split(/ {2,}/)).toEqual(py.header);
    expect(lines.slice(0, -1).map(kind)).toEqual(py.kinds);
    // each row's frames in the column, the innermost on the row itself
    const first = prof.keyAverages({ groupByStackN: 3 }).sort((a, b) => b.count - a.count)[0];
    const at = lines.findIndex((l) => kind(l) === 'row');
    expect(lines.slice(at, at + first.stack.length).map((l) => l.slice(lines[1].indexOf('Source Location')).trimEnd())).toEqual(first.stack);
    // without grouping by stack the averages carry none: no Source Location column, as in Python
    expect(prof.keyAverages().table().split('\n')[1].trim().split(/ {2,}/)).toEqual(py.plainHeader);
  });

  test('exportStacks: outermost frame first, joined by ";", then the metric, as Python writes them', () => {
    const py = runPython<{ lines: string[] }>(`${PY_PROGRAM}
path = os.path.join(tempfile.mkdtemp(), 'stacks.txt')
prof.export_stacks(path, 'self_cpu_time_total')
result = dict(lines=open(path).read().split('\\n'))
`);
    const prof = profiled();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-profiler-stack-'));
    const file = path.join(dir, 'stacks.txt');
    prof.exportStacks(file, 'self_cpu_time_total');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    fs.rmSync(dir, { recursive: true });
    const shape = /^[^ ;]+(;[^ ;]+)* \d+$/;
    for (const l of py.lines.slice(0, -1)) expect(l).toMatch(shape);
    for (const l of lines.slice(0, -1)) expect(l).toMatch(shape);
    expect(lines[lines.length - 1]).toBe(py.lines[py.lines.length - 1]); // a final newline
    // one line per event with a stack and some self time, in the events' order
    const expected = prof
      .events()!
      .filter((e) => e.stack.length > 0 && Math.trunc(e.selfCpuTimeTotal) > 0)
      .map((e) => `${[...e.stack].reverse().map((f) => f.replace(/[ ;\t\n]/g, '_')).join(';')} ${Math.trunc(e.selfCpuTimeTotal)}`);
    expect(lines.slice(0, -1)).toEqual(expected);
    expect(lines.some((l) => l.includes(frameAt('mul2', 'work').replace(/ /g, '_')))).toBe(true);
  });

  test('the Chrome trace carries the same fields as Python writes with with_stack', () => {
    const py = runPython<{ keys: string[][] }>(`${PY_PROGRAM}
path = os.path.join(tempfile.mkdtemp(), 'trace.json')
prof.export_chrome_trace(path)
result = dict(keys=sorted(set(tuple(sorted(e.keys())) for e in json.load(open(path)))))
`);
    const prof = profiled();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-profiler-stack-'));
    const file = path.join(dir, 'trace.json');
    prof.exportChromeTrace(file);
    const trace = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>[];
    fs.rmSync(dir, { recursive: true });
    const keys = [...new Set(trace.map((e) => JSON.stringify(Object.keys(e).sort())))].sort().map((k) => JSON.parse(k) as string[]);
    expect(keys).toEqual(py.keys);
  });

  test('record_function ranges, async code and the older torch.autograd.profiler API', async () => {
    const { x } = inputs();
    const prof = torch.profiler.profile({ withStack: true }, () => {
      torch.profiler.recordFunction('my_block', () => x.mul(2)); // @block
    });
    const block = prof.events()!.find((e) => e.name === 'my_block')!;
    expect(block.stack[0]).toBe(frameAt('block', '<anonymous>'));
    expect(prof.events()!.find((e) => e.name === 'aten::mul')!.stack[0]).toBe(frameAt('block', '<anonymous>'));

    const later = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return x.add(1); // @async
    };
    const asyncProf = await torch.profiler.profile({ withStack: true }, async () => {
      await later();
    });
    expect(asyncProf.events()!.find((e) => e.name === 'aten::add')!.stack[0]).toBe(frameAt('async', 'later'));

    const legacy = torch.autograd.profiler.profile({ withStack: true }, () => {
      x.sub(1); // @legacy
    });
    expect(legacy.functionEvents!.find((e) => e.name === 'aten::sub')!.stack[0]).toBe(frameAt('legacy', '<anonymous>'));
  });

  test('JS run by the engine during backward (a tensor hook): its ops carry the hook\'s own stack', () => {
    const w = torch.ones(3).requiresGrad_();
    const prof = torch.profiler.profile({ withStack: true }, () => {
      const y = w.mul(2);
      y.registerHook((grad) => grad.neg()); // @hook
      y.sum().backward();
    });
    const neg = prof.events()!.find((e) => e.name === 'aten::neg')!;
    expect(neg.stack[0]).toBe(frameAt('hook', '<anonymous>'));
  });

  test('without withStack nothing is recorded, also after a session with it', () => {
    expect(profiled({}).events()!.every((e) => e.stack.length === 0)).toBe(true);
    expect(profiled().events()!.some((e) => e.stack.length > 0)).toBe(true);
    const after = profiled({ recordShapes: true }).events()!;
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => e.stack.length === 0)).toBe(true);
    expect(() => torch.autograd.profiler.profile({}, () => undefined).exportStacks(path.join(os.tmpdir(), 'never.txt'))).toThrow(
      'export_stacks() requires with_stack=True',
    );
  });

  test('a second profiler on the thread is refused as in PyTorch; the running one keeps its stacks', () => {
    const py = runPython<{ message: string }>(`
with torch.profiler.profile(with_stack=True):
    message = err(lambda: torch.profiler.profile(with_stack=True).__enter__())
result = dict(message=message)
`);
    const { x } = inputs();
    const prof = torch.profiler.profile({ withStack: true }, () => {
      expect(() => torch.profiler.profile({ withStack: true }).start()).toThrow(py.message);
      x.mul(2); // @nested
    });
    expect(prof.events()!.find((e) => e.name === 'aten::mul')!.stack[0]).toBe(frameAt('nested', '<anonymous>'));
  });

  test('schedule: each recorded cycle has its stacks', () => {
    const { x } = inputs();
    const traces: torch.profiler.Profile[] = [];
    const stacks: string[][] = [];
    const prof = torch.profiler.profile({
      withStack: true,
      schedule: torch.profiler.schedule({ wait: 0, warmup: 1, active: 1, repeat: 2 }),
      onTraceReady: (p) => {
        traces.push(p);
        stacks.push(p.events()!.filter((e) => e.name === 'aten::mul').map((e) => e.stack[0]));
      },
    }).start();
    for (let i = 0; i < 4; i++) {
      x.mul(i); // @step
      prof.step();
    }
    prof.stop();
    expect(traces.length).toBe(2);
    expect(stacks).toEqual([[frameAt('step', 'Object.<anonymous>')], [frameAt('step', 'Object.<anonymous>')]]);
  });
});

describe('V8 stack lines in Python\'s "file(line): function" form', () => {
  test.each([
    ['    at work (/abs/dir/model.js:12:7)', '/abs/dir/model.js(12): work'],
    ['    at /abs/dir/model.js:3:1', '/abs/dir/model.js(3): <anonymous>'],
    ['    at Module.forward [as call] (/abs/m.js:5:9)', '/abs/m.js(5): Module.forward [as call]'],
    ['    at async train (file:///abs/train.mjs:40:3)', '/abs/train.mjs(40): async train'],
    ['    at new Promise (<anonymous>)', '<anonymous>: new Promise'],
    [`    at step (${path.join(process.cwd(), 'examples', 'train.js')}:8:2)`, `${path.join('examples', 'train.js')}(8): step`],
  ])('%s', (line, frame) => {
    expect(pythonFrame(line)).toBe(frame);
  });
});
