// The profiler's results as Python's torch.autograd.profiler_util has them: FunctionEvent (one
// recorded call), FunctionEventAvg (calls grouped by key_averages) and EventList (their list, with
// the parent/child tree built from the time intervals, key_averages, table, the Chrome trace).
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { AssertionError, ValueError } from '../errors';
import { parse, Rest } from '../keywords';
import { pyBool } from '../py-format';
import { buildTable, formatTime, tableOptions, TableArgs } from './table';

/** c10::DeviceType by code, named as Python's torch.autograd.DeviceType members. */
const DEVICE_TYPES = ['CPU', 'CUDA', 'MKLDNN', 'OPENGL', 'OPENCL', 'IDEEP', 'HIP', 'FPGA', 'ORT', 'XLA', 'Vulkan', 'Metal', 'XPU', 'MPS', 'Meta', 'HPU', 'VE', 'Lazy', 'IPU', 'PrivateUse1'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];
/** torch.autograd.DeviceType: `evt.deviceType === DeviceType.CPU`. */
export const DeviceType = Object.freeze(Object.fromEntries(DEVICE_TYPES.map((n) => [n, n])) as { [K in DeviceType]: K });

export function deviceTypeFromCode(code: number): DeviceType {
  return DEVICE_TYPES[code] ?? 'CPU';
}

/** Python's str() of a list of shapes: [[4, 5], []]. */
export function shapesRepr(shapes: number[][] | ''): string {
  return shapes === '' ? '' : `[${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}]`;
}

export interface Kernel {
  name: string;
  device: number;
  duration: number;
}

/** A [start, end) range in microseconds, relative to the trace's start. */
export class Interval {
  constructor(
    public start: number,
    public end: number,
  ) {}
  elapsedUs(): number {
    return this.end - this.start;
  }
}

/** What the table and key_averages read from both event kinds. */
export interface ProfilerStats {
  /** null only inside FunctionEventAvg.add's bookkeeping */
  key: string | null;
  count: number;
  nodeId: number;
  isAsync: boolean;
  isLegacy: boolean;
  deviceType: DeviceType;
  inputShapes: number[][] | '';
  stack: string[];
  flops: number;
  cpuParent: FunctionEvent | null;
  readonly cpuTimeTotal: number;
  readonly selfCpuTimeTotal: number;
  readonly cudaTimeTotal: number;
  readonly selfCudaTimeTotal: number;
  readonly cpuMemoryUsage: number;
  readonly cudaMemoryUsage: number;
  readonly selfCpuMemoryUsage: number;
  readonly selfCudaMemoryUsage: number;
  readonly cpuTime: number;
  readonly cudaTime: number;
}

export interface FunctionEventInit {
  id: number;
  name: string;
  thread: number;
  startUs: number;
  endUs: number;
  traceName?: string | null;
  fwdThread?: number | null;
  inputShapes?: number[][];
  stack?: string[];
  scope?: number;
  cpuMemoryUsage?: number;
  cudaMemoryUsage?: number;
  isAsync?: boolean;
  isRemote?: boolean;
  sequenceNr?: number;
  nodeId?: number;
  deviceType?: DeviceType;
  deviceIndex?: number;
  isLegacy?: boolean;
  flops?: number;
}

/** Python's FormattedTimesMixin: averages per call and their formatted strings. */
abstract class FormattedTimes {
  abstract count: number;
  abstract readonly cpuTimeTotal: number;
  abstract readonly cudaTimeTotal: number;
  abstract readonly selfCpuTimeTotal: number;
  abstract readonly selfCudaTimeTotal: number;
  get cpuTime(): number {
    return this.count === 0 ? 0 : this.cpuTimeTotal / this.count;
  }
  get cudaTime(): number {
    return this.count === 0 ? 0 : this.cudaTimeTotal / this.count;
  }
  get cpuTimeStr(): string {
    return formatTime(this.cpuTime);
  }
  get cudaTimeStr(): string {
    return formatTime(this.cudaTime);
  }
  get cpuTimeTotalStr(): string {
    return formatTime(this.cpuTimeTotal);
  }
  get cudaTimeTotalStr(): string {
    return formatTime(this.cudaTimeTotal);
  }
  get selfCpuTimeTotalStr(): string {
    return formatTime(this.selfCpuTimeTotal);
  }
  get selfCudaTimeTotalStr(): string {
    return formatTime(this.selfCudaTimeTotal);
  }
}

/** One profiled call (Python's FunctionEvent). */
export class FunctionEvent extends FormattedTimes implements ProfilerStats {
  id: number;
  nodeId: number;
  name: string;
  traceName: string | null;
  timeRange: Interval;
  thread: number;
  fwdThread: number | null;
  kernels: Kernel[] = [];
  count = 1;
  cpuChildren: FunctionEvent[] = [];
  cpuParent: FunctionEvent | null = null;
  inputShapes: number[][] | '';
  stack: string[];
  scope: number;
  cpuMemoryUsage: number;
  cudaMemoryUsage: number;
  isAsync: boolean;
  isRemote: boolean;
  sequenceNr: number;
  deviceType: DeviceType;
  deviceIndex: number;
  isLegacy: boolean;
  flops: number;

  constructor(init: FunctionEventInit) {
    super();
    this.id = init.id;
    this.nodeId = init.nodeId ?? -1;
    this.name = init.name;
    this.traceName = init.traceName ?? null;
    this.timeRange = new Interval(init.startUs, init.endUs);
    this.thread = init.thread;
    this.fwdThread = init.fwdThread ?? null;
    this.inputShapes = init.inputShapes ?? [];
    this.stack = init.stack ?? [];
    this.scope = init.scope ?? 0;
    this.cpuMemoryUsage = init.cpuMemoryUsage ?? 0;
    this.cudaMemoryUsage = init.cudaMemoryUsage ?? 0;
    this.isAsync = init.isAsync ?? false;
    this.isRemote = init.isRemote ?? false;
    this.sequenceNr = init.sequenceNr ?? -1;
    this.deviceType = init.deviceType ?? 'CPU';
    this.deviceIndex = init.deviceIndex ?? 0;
    this.isLegacy = init.isLegacy ?? false;
    this.flops = init.flops ?? 0;
  }

  appendKernel(name: string, device: number, duration: number): void {
    this.kernels.push({ name, device, duration });
  }

  appendCpuChild(child: FunctionEvent): void {
    this.cpuChildren.push(child);
  }

  setCpuParent(parent: FunctionEvent): void {
    this.cpuParent = parent;
  }

  get key(): string {
    return this.name;
  }

  // async events have no children and count no self time or memory
  get selfCpuMemoryUsage(): number {
    if (this.isAsync || this.deviceType !== 'CPU') return 0;
    return this.cpuMemoryUsage - sum(this.cpuChildren.map((c) => c.cpuMemoryUsage));
  }

  get selfCudaMemoryUsage(): number {
    if (this.isAsync || this.deviceType !== 'CPU') return 0;
    return this.cudaMemoryUsage - sum(this.cpuChildren.map((c) => c.cudaMemoryUsage));
  }

  get cpuTimeTotal(): number {
    return this.deviceType === 'CPU' ? this.timeRange.elapsedUs() : 0;
  }

  get selfCpuTimeTotal(): number {
    if (this.isAsync || this.deviceType !== 'CPU') return 0;
    return this.cpuTimeTotal - sum(this.cpuChildren.map((c) => c.cpuTimeTotal));
  }

  get cudaTimeTotal(): number {
    if (this.isAsync) return 0;
    if (this.deviceType !== 'CPU') return this.timeRange.elapsedUs();
    const own = sum(this.kernels.map((k) => k.duration));
    // a legacy CPU event carries one (fake) kernel for its own CUDA time; otherwise children count too
    return this.isLegacy ? own : own + sum(this.cpuChildren.map((c) => c.cudaTimeTotal));
  }

  get selfCudaTimeTotal(): number {
    if (this.isAsync) return 0;
    if (this.deviceType !== 'CPU') return this.cudaTimeTotal;
    return this.cudaTimeTotal - sum(this.cpuChildren.map((c) => c.cudaTimeTotal));
  }

  /** Python's repr. */
  toString(): string {
    return (
      `<FunctionEvent id=${this.id} name=${this.name} device_type=DeviceType.${this.deviceType} node_id=${this.nodeId} ` +
      `cpu_time=${this.cpuTimeStr} start_us=${this.timeRange.start} end_us=${this.timeRange.end} ` +
      `cpu_children=[${this.cpuChildren.map((c) => c.id).join(', ')}] cuda_time=${this.cudaTimeStr} name=${this.name} ` +
      `thread=${this.thread} input_shapes=${shapesRepr(this.inputShapes)} cpu_memory_usage=${this.cpuMemoryUsage} ` +
      `cuda_memory_usage=${this.cudaMemoryUsage} is_async=${pyBool(this.isAsync)} is_remote=${pyBool(this.isRemote)} ` +
      `seq_nr=${this.sequenceNr} is_legacy=${pyBool(this.isLegacy)}>`
    );
  }
}

/** Statistics summed over the events of one key (Python's FunctionEventAvg). */
export class FunctionEventAvg extends FormattedTimes implements ProfilerStats {
  key: string | null = null;
  count = 0;
  nodeId = 0;
  isAsync = false;
  isRemote = false;
  cpuTimeTotal = 0;
  cudaTimeTotal = 0;
  selfCpuTimeTotal = 0;
  selfCudaTimeTotal = 0;
  /** '' once key_averages ran without grouping by input shape (as in Python) */
  inputShapes: number[][] | '' = [];
  stack: string[] = [];
  scope: number | null = null;
  cpuMemoryUsage = 0;
  cudaMemoryUsage = 0;
  selfCpuMemoryUsage = 0;
  selfCudaMemoryUsage = 0;
  cpuChildren: FunctionEvent[] | null = null;
  cpuParent: FunctionEvent | null = null;
  deviceType: DeviceType = 'CPU';
  isLegacy = false;
  flops = 0;

  add(other: FunctionEvent | FunctionEventAvg): this {
    if (this.key === null) {
      // the first event sets what the group shares
      this.key = other.key;
      this.nodeId = other.nodeId;
      this.isAsync = other.isAsync;
      this.isRemote = other.isRemote;
      this.cpuParent = other.cpuParent;
      this.cpuChildren = other.cpuChildren;
      this.inputShapes = other.inputShapes;
      this.stack = other.stack;
      this.scope = other.scope;
      this.deviceType = other.deviceType;
      this.isLegacy = other.isLegacy;
    }
    this.cpuTimeTotal += other.cpuTimeTotal;
    this.cudaTimeTotal += other.cudaTimeTotal;
    this.selfCpuTimeTotal += other.selfCpuTimeTotal;
    this.selfCudaTimeTotal += other.selfCudaTimeTotal;
    this.cpuMemoryUsage += other.cpuMemoryUsage;
    this.cudaMemoryUsage += other.cudaMemoryUsage;
    this.selfCpuMemoryUsage += other.selfCpuMemoryUsage;
    this.selfCudaMemoryUsage += other.selfCudaMemoryUsage;
    this.count += other.count;
    this.flops += other.flops ?? 0;
    return this;
  }

  /** Python's repr. */
  toString(): string {
    return (
      `<FunctionEventAvg key=${this.key} self_cpu_time=${this.selfCpuTimeTotalStr} cpu_time=${this.cpuTimeStr} ` +
      ` self_cuda_time=${this.selfCudaTimeTotalStr} cuda_time=${this.cudaTimeStr} input_shapes=${shapesRepr(this.inputShapes)} ` +
      `cpu_memory_usage=${this.cpuMemoryUsage} cuda_memory_usage=${this.cudaMemoryUsage}>`
    );
  }
}

export interface EventListKeyAveragesOptions {
  groupByInputShapes?: boolean;
  groupByStackN?: number;
}
const EVENT_LIST_KEY_AVERAGES_ARGS = ['groupByInputShapes', 'groupByStackN'] as const;

export interface EventListOptions {
  useCuda?: boolean;
  profileMemory?: boolean;
  withFlops?: boolean;
}

/** A list of events (Python's EventList): prints as a table. */
export class EventList<E extends FunctionEvent | FunctionEventAvg = FunctionEvent | FunctionEventAvg> extends Array<E> {
  // map/filter/slice give plain arrays: an EventList needs its options
  static get [Symbol.species]() {
    return Array;
  }
  useCuda: boolean;
  profileMemory: boolean;
  withFlops: boolean;
  private treeBuilt = false;

  constructor(events: Iterable<E> = [], options: EventListOptions = {}) {
    super();
    for (const e of events) this.push(e);
    this.useCuda = options.useCuda ?? true;
    this.profileMemory = options.profileMemory ?? false;
    this.withFlops = options.withFlops ?? false;
  }

  /** Links each event to its enclosing one (cpuParent / cpuChildren); profile() calls it. */
  buildTree(): void {
    this.populateCpuChildren();
    this.removeDupNodes();
    this.setBackwardStacktraces();
    this.treeBuilt = true;
  }

  private fnEvents(): FunctionEvent[] {
    return this.filter((e): e is E & FunctionEvent => e instanceof FunctionEvent);
  }

  // One event is another's child when its [start, end) lies inside the other's, on the same
  // thread: a stack of open events per thread, over the events sorted by start (longest first).
  private populateCpuChildren(): void {
    const byThread = new Map<string, FunctionEvent[]>();
    for (const e of this.fnEvents()) {
      if (e.isAsync || e.deviceType !== 'CPU') continue;
      const key = `${e.thread}/${e.nodeId}`;
      if (!byThread.has(key)) byThread.set(key, []);
      byThread.get(key)!.push(e);
    }
    for (const events of byThread.values()) {
      events.sort((a, b) => a.timeRange.start - b.timeRange.start || b.timeRange.end - a.timeRange.end);
      const open: FunctionEvent[] = [];
      for (const e of events) {
        while (open.length > 0) {
          const parent = open[open.length - 1];
          if (e.timeRange.start >= parent.timeRange.end || e.timeRange.end > parent.timeRange.end) {
            open.pop();
          } else {
            parent.appendCpuChild(e);
            if (e.cpuParent !== null) throw new AssertionError(`There is already a CPU parent event for ${e.key}`);
            e.setCpuParent(parent);
            break;
          }
        }
        open.push(e);
      }
    }
  }

  // An op that only wraps one op of the same name (a dispatch through another key) is merged into it.
  private removeDupNodes(): void {
    for (;;) {
      const drop = new Set<number>();
      this.forEach((e, i) => {
        if (!(e instanceof FunctionEvent)) return;
        const parent = e.cpuParent;
        if (parent === null || parent.name !== e.name || parent.cpuChildren.length !== 1) return;
        parent.cpuChildren = e.cpuChildren;
        parent.kernels = e.kernels;
        for (const child of e.cpuChildren) child.cpuParent = parent;
        drop.add(i);
      });
      if (drop.size === 0) return;
      const kept = this.filter((_, i) => !drop.has(i));
      this.length = 0;
      for (const e of kept) this.push(e);
    }
  }

  // Backward ops take the stack of the forward op that made their graph node.
  private setBackwardStacktraces(): void {
    const backwardParent = (e: FunctionEvent | null): FunctionEvent | null =>
      e === null ? null : e.scope === 1 /* BACKWARD_FUNCTION */ ? e : backwardParent(e.cpuParent);
    const fwdStacks = new Map<string, string[]>();
    for (const e of this.fnEvents()) {
      const key = `${e.sequenceNr}/${e.thread}`;
      if (backwardParent(e) === null && !fwdStacks.has(key)) fwdStacks.set(key, e.stack);
    }
    for (const e of this.fnEvents()) {
      const p = backwardParent(e);
      if (p !== null) e.stack = fwdStacks.get(`${p.sequenceNr}/${p.fwdThread}`) ?? [];
    }
  }

  /** Sum of every event's self CPU time. */
  get selfCpuTimeTotal(): number {
    return sum(this.map((e) => e.selfCpuTimeTotal));
  }

  /**
   * Averages the events over their keys (name, and input shapes with groupByInputShapes, and the
   * first groupByStackN stack entries): Python's EventList.key_averages, positional or as options.
   */
  keyAverages(...args: Rest<EventListKeyAveragesOptions, typeof EVENT_LIST_KEY_AVERAGES_ARGS>): EventList<FunctionEventAvg> {
    const { groupByInputShapes = false, groupByStackN = 0 } = parse<EventListKeyAveragesOptions>('key_averages', args, EVENT_LIST_KEY_AVERAGES_ARGS);
    if (!this.treeBuilt) throw new AssertionError('');
    const stats = new Map<string, FunctionEventAvg>();
    for (const e of this) {
      const key = [e.key, e.nodeId, e.deviceType, e.isLegacy];
      if (groupByInputShapes) key.push(shapesRepr(e.inputShapes));
      if (groupByStackN > 0) key.push(...e.stack.slice(0, groupByStackN));
      const k = JSON.stringify(key);
      if (!stats.has(k)) stats.set(k, new FunctionEventAvg());
      stats.get(k)!.add(e);
    }
    const out = new EventList<FunctionEventAvg>(stats.values(), { useCuda: this.useCuda, profileMemory: this.profileMemory, withFlops: this.withFlops });
    for (const e of out) {
      e.stack = e.stack.slice(0, groupByStackN);
      if (!groupByInputShapes) e.inputShapes = '';
    }
    out.treeBuilt = true;
    return out;
  }

  /** All events averaged into one, keyed 'Total'. */
  totalAverage(): FunctionEventAvg {
    const total = new FunctionEventAvg();
    for (const e of this) {
      total.add(e);
      total.key = null;
    }
    total.key = 'Total';
    return total;
  }

  /**
   * PyTorch's summary table: table({ sortBy, rowLimit, ... }) or Python's positional order (sortBy:
   * an attribute by Python's snake_case name or in camelCase).
   */
  table(...args: TableArgs): string {
    return buildTable(this as readonly ProfilerStats[], { ...tableOptions(args), profileMemory: this.profileMemory, withFlops: this.withFlops });
  }

  toString(): string {
    return this.table();
  }

  /**
   * Writes the events as a Chrome trace (chrome://tracing, Perfetto): the JSON PyTorch writes
   * without libkineto. The file appears whole (written beside it, then renamed); a path ending in
   * .gz is gzipped.
   */
  exportChromeTrace(file: string): void {
    const parts: string[] = [];
    let nextId = 0;
    for (const e of this) {
      if (!(e instanceof FunctionEvent) || e.traceName === null) continue;
      const name = JSON.stringify(e.traceName);
      const tid = e.isRemote ? `" node_id:${e.nodeId}, thread_id:${e.thread} "` : String(e.thread);
      parts.push(`{"name": ${name}, "ph": "X", "ts": ${e.timeRange.start}, "dur": ${e.timeRange.elapsedUs()}, "tid": ${tid}, "pid": "CPU functions", "args": {}}`);
      for (let k = 0; k < e.kernels.length; k++) {
        // 's' draws a flow arrow from the CPU launch to the kernel
        parts.push(`{"name": ${name}, "ph": "s", "ts": ${e.timeRange.start}, "tid": ${tid}, "pid": "CPU functions", "id": ${nextId++}, "cat": "cpu_to_cuda", "args": {}}`);
      }
    }
    const text = `[${parts.join(', ')}]`;
    writeWhole(file, file.endsWith('.gz') ? gzipSync(text) : text);
  }

  /** Stacks with their metric per line, for FlameGraph (needs withStack). */
  exportStacks(file: string, metric: 'self_cpu_time_total' | 'self_cuda_time_total' = 'self_cpu_time_total'): void {
    if (metric !== 'self_cpu_time_total' && metric !== 'self_cuda_time_total') {
      throw new ValueError("metric should be one of: ['self_cpu_time_total', 'self_cuda_time_total']");
    }
    const lines: string[] = [];
    for (const e of this) {
      const value = Math.trunc(metric === 'self_cpu_time_total' ? e.selfCpuTimeTotal : e.selfCudaTimeTotal);
      if (e.stack.length === 0 || value <= 0) continue;
      const frames = [...e.stack].reverse().map((s) => s.replace(/[ ;\t\n]/g, '_'));
      lines.push(`${frames.join(';')} ${value}\n`);
    }
    writeWhole(file, lines.join(''));
  }
}

function writeWhole(file: string, data: string | Buffer): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
