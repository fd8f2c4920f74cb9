// EventList.table: PyTorch's profiler summary (torch.autograd.profiler_util._build_table), the same
// columns, widths, units and totals line, so the printed table reads as Python's does.
import { TorchError } from '../errors';
import { parse, Rest } from '../keywords';
import type { ProfilerStats } from './events';
import { shapesRepr } from './events';

export interface TableOptions {
  /** the attribute to sort by, descending: Python's name (`cpu_time_total`) or camelCase */
  sortBy?: string | null;
  rowLimit?: number;
  maxSrcColumnWidth?: number | null;
  maxNameColumnWidth?: number | null;
  maxShapesColumnWidth?: number | null;
  header?: string | null;
  topLevelEventsOnly?: boolean;
}
/** Python's parameter order: table('cpu_time_total', 10) works too. */
export const TABLE_ARGS = ['sortBy', 'rowLimit', 'maxSrcColumnWidth', 'maxNameColumnWidth', 'maxShapesColumnWidth', 'header', 'topLevelEventsOnly'] as const;
export type TableArgs = Rest<TableOptions, typeof TABLE_ARGS>;

/** The options of table(...args), positional or by name. */
export function tableOptions(args: readonly unknown[]): TableOptions {
  return parse<TableOptions>('table', args, TABLE_ARGS);
}

interface BuildOptions extends TableOptions {
  profileMemory?: boolean;
  withFlops?: boolean;
}

/** Python's '{:.Nf}'.format(x): exact ties round to even, where toFixed rounds them up. */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 30));
  const cut = exact.length - 30;
  let out = Math.abs(x).toFixed(digits);
  if (/^50*$/.test(exact.slice(cut))) {
    // a tie: keep the even neighbour (the truncated value when its last digit is even)
    const truncated = exact.slice(0, digits === 0 ? cut - 1 : cut);
    if (Number(truncated[truncated.length - 1]) % 2 === 0) out = truncated;
  }
  return x < 0 || Object.is(x, -0) ? `-${out}` : out;
}

/** Python's _format_time: microseconds as s, ms or us with three decimals. */
export function formatTime(us: number): string {
  if (us >= 1e6) return `${pyFixed(us / 1e6, 3)}s`;
  if (us >= 1e3) return `${pyFixed(us / 1e3, 3)}ms`;
  return `${pyFixed(us, 3)}us`;
}

function formatTimeShare(us: number, totalUs: number): string {
  if (totalUs === 0) return 'NaN';
  return `${pyFixed((us * 100) / totalUs, 2)}%`;
}

function formatMemory(nbytes: number): string {
  const KB = 1024, MB = 1024 * KB, GB = 1024 * MB;
  if (Math.abs(nbytes) >= GB) return `${pyFixed(nbytes / GB, 2)} Gb`;
  if (Math.abs(nbytes) >= MB) return `${pyFixed(nbytes / MB, 2)} Mb`;
  if (Math.abs(nbytes) >= KB) return `${pyFixed(nbytes / KB, 2)} Kb`;
  return `${nbytes} b`;
}

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function sortKey(events: readonly ProfilerStats[], sortBy: string): (e: ProfilerStats) => number {
  const attr = camel(sortBy) as keyof ProfilerStats;
  const first = events[0] as unknown as Record<string, unknown>;
  if (!(attr in first)) throw new TorchError(`'${first.constructor.name}' object has no attribute '${sortBy}'`);
  return (e) => Number(e[attr]);
}

/** Python's auto_scale_flops: the unit that suits the smallest count. */
function flopsScale(flops: number): [number, string] {
  const units = ['FLOPs', 'KFLOPs', 'MFLOPs', 'GFLOPs', 'TFLOPs', 'PFLOPs'];
  const log = Math.max(0, Math.min(Math.log10(flops) / 3, units.length - 1));
  return [10 ** (Math.floor(log) * -3), units[Math.trunc(log)]];
}

const DEFAULT_COLUMN_WIDTH = 12;
const SPACING = 2;
const MAX_STACK_ENTRY = 5;

export function buildTable(all: readonly ProfilerStats[], options: BuildOptions): string {
  const { sortBy = null, rowLimit = 100, maxSrcColumnWidth = 75, maxNameColumnWidth = 55, maxShapesColumnWidth = 80, header = null } = options;
  const { topLevelEventsOnly = false, profileMemory = false } = options;
  let withFlops = options.withFlops ?? false;
  if (all.length === 0) return '';
  const hasCudaTime = all.some((e) => e.selfCudaTimeTotal > 0);
  const hasCudaMem = all.some((e) => e.selfCudaMemoryUsage > 0);
  const hasInputShapes = all.some((e) => e.inputShapes.length > 0);

  let events = [...all];
  if (sortBy != null) {
    const key = sortKey(all, sortBy);
    events = events.sort((a, b) => key(b) - key(a));
  }

  let nameWidth = Math.max(...events.map((e) => String(e.key).length)) + 4;
  if (maxNameColumnWidth != null) nameWidth = Math.min(nameWidth, maxNameColumnWidth);
  let shapesWidth = Math.max(...events.map((e) => shapesRepr(e.inputShapes).length)) + 4;
  if (maxShapesColumnWidth != null) shapesWidth = Math.min(shapesWidth, maxShapesColumnWidth);
  const stacks = events.filter((e) => e.stack.length > 0).map((e) => e.stack);
  const hasStack = stacks.length > 0;
  let srcWidth = 0;
  if (hasStack) {
    srcWidth = Math.max(...stacks.map((s) => Math.max(...s.map((entry) => entry.length)))) + 4;
    if (maxSrcColumnWidth != null) srcWidth = Math.min(srcWidth, maxSrcColumnWidth);
  }

  const headers = ['Name', 'Self CPU %', 'Self CPU', 'CPU total %', 'CPU total', 'CPU time avg'];
  if (hasCudaTime) headers.push('Self CUDA', 'Self CUDA %', 'CUDA total', 'CUDA time avg');
  if (profileMemory) {
    headers.push('CPU Mem', 'Self CPU Mem');
    if (hasCudaMem) headers.push('CUDA Mem', 'Self CUDA Mem');
  }
  headers.push('# of Calls');
  const appendNodeId = events.some((e) => e.nodeId !== -1);
  if (appendNodeId) headers.push('Node ID');

  const columns: { width: number; left: boolean }[] = [];
  columns.push({ width: nameWidth, left: false });
  for (let i = 1; i < headers.length; i++) columns.push({ width: DEFAULT_COLUMN_WIDTH, left: false });
  if (hasInputShapes) {
    headers.push('Input Shapes');
    columns.push({ width: shapesWidth, left: false });
  }
  if (hasStack) {
    headers.push('Source Location');
    columns.push({ width: srcWidth, left: true });
  }
  let scale = 1;
  if (withFlops) {
    const raw = events.map((e) => e.flops).filter((f) => f > 0);
    if (raw.length > 0) {
      const [s, unit] = flopsScale(Math.min(...raw));
      scale = s;
      headers.push(`Total ${unit}`);
      columns.push({ width: DEFAULT_COLUMN_WIDTH, left: false });
    } else {
      withFlops = false; // no op with a FLOP count
    }
  }

  // Python's '{: >W}  ' per column: padded, never cut
  const row = (values: (string | number)[]) =>
    values.map((v, i) => (columns[i].left ? String(v).padEnd(columns[i].width) : String(v).padStart(columns[i].width)) + ' '.repeat(SPACING)).join('');
  const headerSep = columns.map((c) => '-'.repeat(c.width) + ' '.repeat(SPACING)).join('');
  const lineLength = columns.reduce((n, c) => n + c.width + SPACING, -SPACING);

  const out: string[] = [];
  const append = (s: string) => out.push(s, '\n');
  const sumSelfCpu = events.reduce((n, e) => n + e.selfCpuTimeTotal, 0);
  let sumSelfCuda = 0;
  for (const e of events) {
    // legacy events carry their CUDA time; otherwise the CUDA events do
    if (e.deviceType === 'CPU' ? e.isLegacy : e.deviceType === 'CUDA') sumSelfCuda += e.selfCudaTimeTotal;
  }

  if (header != null) {
    append('='.repeat(lineLength));
    append(header);
  }
  if (topLevelEventsOnly) {
    append('='.repeat(lineLength));
    append('This report only display top-level ops statistics');
  }
  append(headerSep);
  append(row(headers));
  append(headerSep);

  const trimPath = (p: string) => {
    if (p.length <= srcWidth) return p;
    p = p.slice(p.length - srcWidth);
    return p.length > 3 ? '...' + p.slice(3) : p;
  };

  let shown = 0;
  for (const e of events) {
    if (shown === rowLimit) break;
    if (topLevelEventsOnly && e.cpuParent !== null) continue;
    shown++;
    let name = String(e.key);
    if (maxNameColumnWidth != null && name.length >= maxNameColumnWidth - 3) name = name.slice(0, maxNameColumnWidth - 3) + '...';
    const values: (string | number)[] = [
      name,
      formatTimeShare(e.selfCpuTimeTotal, sumSelfCpu),
      formatTime(e.selfCpuTimeTotal),
      e.isAsync ? 0 : formatTimeShare(e.cpuTimeTotal, sumSelfCpu),
      formatTime(e.cpuTimeTotal),
      formatTime(e.cpuTime),
    ];
    if (hasCudaTime) {
      values.push(formatTime(e.selfCudaTimeTotal), formatTimeShare(e.selfCudaTimeTotal, sumSelfCuda), formatTime(e.cudaTimeTotal), formatTime(e.cudaTime));
    }
    if (profileMemory) {
      values.push(formatMemory(e.cpuMemoryUsage), formatMemory(e.selfCpuMemoryUsage));
      if (hasCudaMem) values.push(formatMemory(e.cudaMemoryUsage), formatMemory(e.selfCudaMemoryUsage));
    }
    values.push(e.count);
    if (appendNodeId) values.push(e.nodeId);
    if (hasInputShapes) values.push(shapesRepr(e.inputShapes).slice(0, shapesWidth));
    if (withFlops) values.push(e.flops <= 0 ? '--' : pyFixed(e.flops * scale, 3).padStart(8));
    if (hasStack) values.push(e.stack.length > 0 ? trimPath(e.stack[0]) : '');
    append(row(values));
    if (hasStack) {
      const empty = new Array<string>(headers.length - 1).fill('');
      for (const entry of e.stack.slice(1, MAX_STACK_ENTRY)) append(row([...empty, trimPath(entry)]));
      append(row([...empty, '']));
    }
  }
  append(headerSep);
  append(`Self CPU time total: ${formatTime(sumSelfCpu)}`);
  if (hasCudaTime) append(`Self CUDA time total: ${formatTime(sumSelfCuda)}`);
  return out.join('');
}
