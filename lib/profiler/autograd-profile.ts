// torch.autograd.profiler.profile (the older API; torch.profiler.profile drives it, as in Python)
// over libtorch's profiler (native/profiler.cc), and the events it returns, made into
// FunctionEvents as Python's profile._parse_kineto_results makes them. libtorch here has no
// libkineto: CPU is the one activity, and the Chrome trace is the one PyTorch writes without it.
import { AssertionError, TorchError, warn } from '../errors';
import { checkKeywords, keysOf, parse, Rest } from '../keywords';
import { native, ProfilerEventRecord } from '../native';
import { deviceTypeFromCode, EventList, FunctionEvent, FunctionEventAvg } from './events';
import { runInside } from './record-function';
import { StackFormatter } from './stack';
import { tableOptions, TableArgs } from './table';

const MEMORY_EVENT_NAME = '[memory]';
const OUT_OF_MEMORY_EVENT_NAME = '[OutOfMemory]';
// Python-side utility ops, left out of the results
const FILTERED_NAMES = new Set([
  MEMORY_EVENT_NAME,
  OUT_OF_MEMORY_EVENT_NAME,
  'profiler::_record_function_enter',
  'profiler::_record_function_enter_new',
  'profiler::_record_function_exit',
  'aten::is_leaf',
  'aten::output_nr',
  'aten::_version',
]);

/** Numbered step ranges share one row in the table. */
function wildcardName(name: string): string {
  return name.startsWith('ProfilerStep#') ? 'ProfilerStep*' : name;
}

const isCpuMemory = (r: ProfilerEventRecord) => [0, 2, 5].includes(r.deviceType); // CPU, MKLDNN, IDEEP
const isCudaMemory = (r: ProfilerEventRecord) => [1, 6].includes(r.deviceType); // CUDA, HIP

/** FunctionEvents from libtorch's result, as Python's profile._parse_kineto_results makes them. */
function parseResults(traceStartUs: number, records: ProfilerEventRecord[]): FunctionEvent[] {
  const memRecords = records.filter((r) => r.name === MEMORY_EVENT_NAME).map((r) => ({ r, used: false }));
  const byStart = [...memRecords].sort((a, b) => a.r.startUs - b.r.startUs);
  const events: FunctionEvent[] = [];
  const stacks = new StackFormatter();
  let maxId = 0;
  for (const r of records) {
    if (FILTERED_NAMES.has(r.name)) continue;
    const relStart = r.startUs - traceStartUs;
    const absEnd = r.startUs + r.durationUs;
    let cpuMemory = 0;
    let cudaMemory = 0;
    if (r.deviceType === 0) {
      // the allocations made while the op ran (start and end included)
      for (const m of byStart) {
        if (m.r.startUs < r.startUs) continue;
        if (m.r.startUs > absEnd) break;
        if (isCpuMemory(m.r)) cpuMemory += m.r.nBytes;
        if (isCudaMemory(m.r)) cudaMemory += m.r.nBytes;
        m.used = true;
      }
    }
    const fe = new FunctionEvent({
      id: r.correlationId,
      name: wildcardName(r.name),
      traceName: r.name,
      thread: r.startThreadId,
      startUs: relStart,
      endUs: relStart + r.durationUs,
      fwdThread: r.fwdThreadId,
      inputShapes: r.shapes,
      stack: stacks.format(r.stack),
      scope: r.scope,
      cpuMemoryUsage: cpuMemory,
      cudaMemoryUsage: cudaMemory,
      isAsync: r.isAsync || r.startThreadId !== r.endThreadId,
      sequenceNr: r.sequenceNr,
      deviceType: deviceTypeFromCode(r.deviceType),
      deviceIndex: r.deviceIndex,
      flops: r.flops,
    });
    maxId = Math.max(maxId, fe.id);
    if (fe.deviceType === 'CPU' && !fe.isAsync && r.cudaElapsedUs > 0) {
      fe.appendKernel(fe.name, fe.deviceIndex, r.cudaElapsedUs);
      fe.isLegacy = true;
    }
    events.push(fe);
  }
  // allocations outside every op, and out-of-memory reports, become top-level events of their own
  const standalone = (r: ProfilerEventRecord) => {
    const start = r.startUs - traceStartUs;
    return new FunctionEvent({
      id: ++maxId,
      name: r.name,
      traceName: null,
      thread: r.startThreadId,
      startUs: start,
      endUs: start,
      fwdThread: r.startThreadId,
      cpuMemoryUsage: isCpuMemory(r) ? r.nBytes : 0,
      cudaMemoryUsage: isCudaMemory(r) ? r.nBytes : 0,
    });
  };
  for (const m of memRecords) if (!m.used) events.push(standalone(m.r));
  for (const r of records) if (r.name === OUT_OF_MEMORY_EVENT_NAME) events.push(standalone(r));
  events.sort((a, b) => a.timeRange.start - b.timeRange.start || b.timeRange.end - a.timeRange.end);
  return events;
}

export interface AutogradProfileOptions {
  useCuda?: boolean;
  recordShapes?: boolean;
  withFlops?: boolean;
  profileMemory?: boolean;
  /** record the JS stack of each op made on this thread (events' stack: "file(line): function") */
  withStack?: boolean;
  withModules?: boolean;
  useKineto?: boolean;
  useCpu?: boolean;
  experimentalConfig?: unknown;
}
export const AUTOGRAD_PROFILE_KEYS = keysOf<AutogradProfileOptions>()(
  'useCuda', 'recordShapes', 'withFlops', 'profileMemory', 'withStack', 'withModules', 'useKineto', 'useCpu', 'experimentalConfig',
);

/** torch.autograd.profiler.profile: start() / stop() (Python's with-block), then the results. */
export class AutogradProfile {
  readonly enabled: boolean;
  readonly recordShapes: boolean;
  readonly withFlops: boolean;
  readonly profileMemory: boolean;
  readonly withStack: boolean;
  readonly withModules: boolean;
  useCuda: boolean;
  /** the events, once stopped (Python's function_events) */
  functionEvents: EventList<FunctionEvent> | null = null;
  private entered = false;

  constructor(enabled = true, options: AutogradProfileOptions = {}) {
    checkKeywords('profile', options, AUTOGRAD_PROFILE_KEYS);
    this.enabled = enabled;
    this.withFlops = options.withFlops ?? false;
    this.recordShapes = (options.recordShapes ?? false) || this.withFlops;
    this.profileMemory = options.profileMemory ?? false;
    this.withStack = options.withStack ?? false;
    this.withModules = options.withModules ?? false;
    this.useCuda = options.useCuda ?? false;
    if (options.useCpu === false) {
      throw new AssertionError(options.useKineto ? 'No activities specified for the profiler' : 'Device-only events supported only with Kineto (use_kineto=True)');
    }
    if (this.useCuda && native.cudaDeviceCount() === 0) {
      warn('CUDA is not available, disabling CUDA profiling');
      this.useCuda = false;
    }
  }

  /** Python's __enter__. */
  start(): this {
    if (!this.enabled) return this;
    if (this.entered) throw new TorchError('Profiler context manager is not reentrant');
    this.entered = true;
    // without libkineto, CUDA time comes from CUDA events around each op (Python's KINETO_GPU_FALLBACK)
    native.profilerStart(this.recordShapes, this.profileMemory, this.withStack, this.withFlops, this.withModules, this.useCuda);
    return this;
  }

  /** Python's __exit__: collects the events and builds their tree. */
  stop(): void {
    if (!this.enabled) return;
    const { traceStartUs, events } = native.profilerStop();
    const list = new EventList<FunctionEvent>(parseResults(traceStartUs, events), {
      useCuda: this.useCuda,
      profileMemory: this.profileMemory,
      withFlops: this.withFlops,
    });
    list.buildTree();
    this.functionEvents = list;
  }

  private finished(): EventList<FunctionEvent> {
    if (this.functionEvents === null) throw new TorchError("Profiler didn't finish running");
    return this.functionEvents;
  }

  table(...args: TableArgs): string {
    return this.finished().table(tableOptions(args));
  }

  exportChromeTrace(file: string): void {
    this.finished().exportChromeTrace(file);
  }

  exportStacks(file: string, metric: 'self_cpu_time_total' | 'self_cuda_time_total' = 'self_cpu_time_total'): void {
    if (!this.withStack) throw new AssertionError('export_stacks() requires with_stack=True');
    this.finished().exportStacks(file, metric);
  }

  /** Python's key_averages(group_by_input_shape=False, group_by_stack_n=0), positional or as options. */
  keyAverages(...args: KeyAveragesArgs): EventList<FunctionEventAvg> {
    const { groupByInputShape = false, groupByStackN = 0 } = parse<KeyAveragesOptions>('key_averages', args, KEY_AVERAGES_ARGS);
    return this.finished().keyAverages(groupByInputShape, groupByStackN);
  }

  totalAverage(): FunctionEventAvg {
    return this.finished().totalAverage();
  }

  get selfCpuTimeTotal(): number {
    return this.finished().selfCpuTimeTotal;
  }

  toString(): string {
    return this.functionEvents === null ? '<unfinished torch.autograd.profile>' : this.functionEvents.toString();
  }
}

export interface KeyAveragesOptions {
  groupByInputShape?: boolean;
  groupByStackN?: number;
}
const KEY_AVERAGES_ARGS = ['groupByInputShape', 'groupByStackN'] as const;
export type KeyAveragesArgs = Rest<KeyAveragesOptions, typeof KEY_AVERAGES_ARGS>;

/**
 * torch.autograd.profiler.profile(enabled?, options?, fn?): with fn, profiles fn (sync or async,
 * given the profiler) and returns the stopped profiler; without, returns it for start() / stop().
 */
export function autogradProfile(fn: (prof: AutogradProfile) => Promise<unknown>): Promise<AutogradProfile>;
export function autogradProfile(fn: (prof: AutogradProfile) => unknown): AutogradProfile;
export function autogradProfile(options: AutogradProfileOptions & { enabled?: boolean }, fn: (prof: AutogradProfile) => Promise<unknown>): Promise<AutogradProfile>;
export function autogradProfile(options?: AutogradProfileOptions & { enabled?: boolean }, fn?: (prof: AutogradProfile) => unknown): AutogradProfile;
export function autogradProfile(enabled: boolean, options?: AutogradProfileOptions, fn?: (prof: AutogradProfile) => unknown): AutogradProfile;
export function autogradProfile(...args: unknown[]): AutogradProfile | Promise<AutogradProfile> {
  const fn = typeof args[args.length - 1] === 'function' ? (args.pop() as (p: AutogradProfile) => unknown) : undefined;
  let enabled = true;
  if (typeof args[0] === 'boolean') enabled = args.shift() as boolean;
  const options = { ...((args[0] as AutogradProfileOptions & { enabled?: boolean }) ?? {}) };
  if (options.enabled !== undefined) enabled = options.enabled;
  delete options.enabled;
  const prof = new AutogradProfile(enabled, options);
  return fn === undefined ? prof : runProfiled(prof, fn);
}

/** Starts prof, runs fn(prof), stops prof (after an async fn settles); prof, or a promise of it. */
export function runProfiled<P extends { start(): unknown; stop(): void }>(prof: P, fn: (p: P) => unknown): P {
  prof.start();
  const r = runInside(() => fn(prof), () => prof.stop());
  return (r instanceof Promise ? r.then(() => prof) : prof) as P;
}

