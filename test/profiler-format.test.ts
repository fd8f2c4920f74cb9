// The profiler's results on fixed events, against PyTorch's own FunctionEvent / EventList: the
// tree (cpu_children, duplicate nodes merged), key_averages, the table to the character (columns,
// widths, units, rounding, memory / shapes / source / FLOPs columns, header, top-level-only,
// truncated names), the reprs, total_average, and the Chrome trace and stacks files byte for byte.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { formatTime, pyFixed } from '../lib/profiler/table';

const { EventList, FunctionEvent } = torch.profiler;

interface Spec {
  id: number;
  name: string;
  thread: number;
  start: number;
  end: number;
  shapes?: number[][];
  mem?: number;
  stack?: string[];
  scope?: number;
  seq?: number;
  flops?: number;
}

// Nested ops on two threads; a parent and child of the same name (merged); times spanning us, ms
// and s; percentages that fall on exact halves (1/32 of the total); a backward op taking its
// forward op's stack; a name too long for the name column.
const SPECS: Spec[] = [
  { id: 1, name: 'my_block', thread: 1, start: 0, end: 3200, stack: ['model.py(10): forward', 'train.py(3): <module>'] },
  { id: 2, name: 'aten::linear', thread: 1, start: 100, end: 1100, shapes: [[4, 5], [3, 5], [3]], mem: 48, seq: 7, stack: ['model.py(11): forward'], flops: 120 },
  { id: 3, name: 'aten::addmm', thread: 1, start: 150, end: 1000, shapes: [[3], [4, 5], [5, 3], [], []], mem: 48, flops: 120 },
  { id: 4, name: 'aten::addmm', thread: 1, start: 200, end: 900, shapes: [[3], [4, 5], [5, 3], [], []], mem: 48 },
  { id: 5, name: 'aten::relu', thread: 1, start: 1100, end: 1200, shapes: [[4, 3]], mem: 48, flops: 0 },
  { id: 6, name: 'aten::linear', thread: 1, start: 1300, end: 1400, shapes: [[4, 5], [3, 5], [3]], mem: 48 },
  { id: 7, name: 'autograd::engine::evaluate_function: AddmmBackward0 with a long name', thread: 1, start: 1400, end: 3100, scope: 1, seq: 7 },
  { id: 8, name: 'aten::mm', thread: 1, start: 1500, end: 2500, shapes: [[4, 3], [3, 5]], mem: -48, flops: 3000000 },
  { id: 9, name: 'aten::sum', thread: 2, start: 50, end: 2_500_050, shapes: [[4, 3], []], mem: 4 },
  { id: 10, name: 'aten::fill_', thread: 2, start: 60, end: 61, shapes: [[], []] },
  { id: 11, name: '[memory]', thread: 1, start: 3300, end: 3300, mem: 1 << 21 },
];

const PY_EVENTS = `
from torch.autograd.profiler_util import EventList, FunctionEvent
specs = json.loads(${JSON.stringify(JSON.stringify(SPECS))})
def make(s):
    return FunctionEvent(id=s['id'], name=s['name'], thread=s['thread'], start_us=s['start'], end_us=s['end'],
        fwd_thread=s['thread'], input_shapes=s.get('shapes', []), stack=s.get('stack', []), scope=s.get('scope', 0),
        cpu_memory_usage=s.get('mem', 0), sequence_nr=s.get('seq', -1), flops=s.get('flops', 0),
        trace_name=None if s['name'] == '[memory]' else s['name'])
def events(**kw):
    ev = EventList([make(s) for s in specs], use_cuda=False, **kw)
    ev._build_tree()
    return ev
`;

function events(options: { profileMemory?: boolean; withFlops?: boolean } = {}) {
  const list = new EventList<torch.profiler.FunctionEvent>(
    SPECS.map(
      (s) =>
        new FunctionEvent({
          id: s.id, name: s.name, thread: s.thread, startUs: s.start, endUs: s.end, fwdThread: s.thread,
          inputShapes: s.shapes ?? [], stack: s.stack ?? [], scope: s.scope ?? 0, cpuMemoryUsage: s.mem ?? 0,
          sequenceNr: s.seq ?? -1, flops: s.flops ?? 0, traceName: s.name === '[memory]' ? null : s.name,
        }),
    ),
    { useCuda: false, ...options },
  );
  list.buildTree();
  return list;
}

describe('profiler events, tables and files against PyTorch', () => {
  const py = runPython<Record<string, string | string[] | number>>(`${PY_EVENTS}
import tempfile, os
ev = events(profile_memory=True)
d = tempfile.mkdtemp()
ev.export_chrome_trace(os.path.join(d, 'trace.json'))
ev.export_stacks(os.path.join(d, 'stacks.txt'), 'self_cpu_time_total')
result = dict(
    reprs=[repr(e) for e in ev],
    avgReprs=[repr(e) for e in ev.key_averages()],
    total=repr(ev.total_average()),
    selfTotal=ev.self_cpu_time_total,
    str=str(ev),
    bySelf=ev.key_averages().table(sort_by='self_cpu_time_total', row_limit=5),
    byShape=ev.key_averages(group_by_input_shapes=True).table(sort_by='cpu_memory_usage', header='Shapes', top_level_events_only=True),
    byStack=ev.key_averages(group_by_stack_n=1).table(sort_by='count', max_name_column_width=20, max_src_column_width=12),
    flops=events(with_flops=True).key_averages().table(sort_by='flops'),
    narrow=ev.table(sort_by='cpu_time', row_limit=3, max_shapes_column_width=10),
    trace=open(os.path.join(d, 'trace.json')).read(),
    stacks=open(os.path.join(d, 'stacks.txt')).read(),
    empty=EventList([]).table())
`);

  test('the tree and the reprs', () => {
    const ev = events({ profileMemory: true });
    expect(ev.map(String)).toEqual(py.reprs);
    expect(ev.keyAverages().map(String)).toEqual(py.avgReprs);
    expect(String(ev.totalAverage())).toBe(py.total);
    expect(ev.selfCpuTimeTotal).toBe(py.selfTotal);
  });

  test('tables: columns, widths, units, rounding, options', () => {
    const ev = events({ profileMemory: true });
    expect(String(ev)).toBe(py.str);
    expect(ev.keyAverages().table({ sortBy: 'self_cpu_time_total', rowLimit: 5 })).toBe(py.bySelf);
    expect(ev.keyAverages({ groupByInputShapes: true }).table({ sortBy: 'cpuMemoryUsage', header: 'Shapes', topLevelEventsOnly: true })).toBe(py.byShape);
    expect(ev.keyAverages(false, 1).table({ sortBy: 'count', maxNameColumnWidth: 20, maxSrcColumnWidth: 12 })).toBe(py.byStack);
    expect(events({ withFlops: true }).keyAverages().table({ sortBy: 'flops' })).toBe(py.flops);
    expect(ev.table({ sortBy: 'cpu_time', rowLimit: 3, maxShapesColumnWidth: 10 })).toBe(py.narrow);
    expect(new EventList([]).table()).toBe(py.empty);
    expect(() => ev.table({ sortBy: 'cpu_tme' })).toThrow("'FunctionEvent' object has no attribute 'cpu_tme'");
    expect(() => ev.table({ sort_by: 'count' } as never)).toThrow("table() got an unexpected keyword argument 'sort_by' (did you mean 'sortBy'?)");
  });

  test('Chrome trace and stacks files, byte for byte', () => {
    const ev = events({ profileMemory: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-profiler-format-'));
    ev.exportChromeTrace(path.join(dir, 'trace.json'));
    ev.exportStacks(path.join(dir, 'stacks.txt'), 'self_cpu_time_total');
    expect(fs.readFileSync(path.join(dir, 'trace.json'), 'utf8')).toBe(py.trace);
    expect(fs.readFileSync(path.join(dir, 'stacks.txt'), 'utf8')).toBe(py.stacks);
    ev.exportChromeTrace(path.join(dir, 'trace.json.gz'));
    const { gunzipSync } = require('zlib') as typeof import('zlib');
    expect(gunzipSync(fs.readFileSync(path.join(dir, 'trace.json.gz'))).toString()).toBe(py.trace);
    expect(fs.readdirSync(dir).sort()).toEqual(['stacks.txt', 'trace.json', 'trace.json.gz']);
    fs.rmSync(dir, { recursive: true });
  });

  test("numbers as Python's format() writes them: exact halves round to even", () => {
    const values = [...Array.from({ length: 400 }, (_, k) => (k - 40) / 64), 0.0625, 999.9995, 1000, 1234.5675, 999999.9996, 2.5e6, 1e-7];
    const got = runPython<string[][]>(`
from torch.autograd.profiler_util import _format_time
values = json.loads('${JSON.stringify(values)}') + [-0.0]
result = [['{:.3f}'.format(v), '{:.2f}'.format(v), _format_time(v)] for v in values]
`);
    expect([...values, -0].map((v) => [pyFixed(v, 3), pyFixed(v, 2), formatTime(v)])).toEqual(got);
  });
});
