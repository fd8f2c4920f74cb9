// torch.profiler.profile: activities, a schedule of steps (wait, warmup, active), onTraceReady,
// over the older torch.autograd.profiler.profile, which records each active cycle (as in Python).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssertionError, warn } from '../errors';
import { checkKeywords, keysOf } from '../keywords';
import { native } from '../native';
import { AutogradProfile, KeyAveragesArgs, runProfiled } from './autograd-profile';
import { EventList, FunctionEvent, FunctionEventAvg } from './events';
import { RecordFunction } from './record-function';

/** torch.profiler.ProfilerActivity */
export const ProfilerActivity = Object.freeze({ CPU: 'CPU', CUDA: 'CUDA' } as const);
export type ProfilerActivity = (typeof ProfilerActivity)[keyof typeof ProfilerActivity];

/** torch.profiler.kineto_available(): false, the profiler here collects without libkineto (native/profiler.cc). */
export function kinetoAvailable(): boolean {
  return false;
}

/** torch.profiler.RecordScope: what kind of code a recorded range covers (an event's scope). */
export enum RecordScope {
  FUNCTION = 0,
  BACKWARD_FUNCTION = 1,
  TORCHSCRIPT_FUNCTION = 2,
  KERNEL_FUNCTION_DTYPE = 3,
  CUSTOM_CLASS = 4,
  BUILD_FEATURE = 5,
  LITE_INTERPRETER = 6,
  USER_SCOPE = 7,
  STATIC_RUNTIME_OP = 8,
  STATIC_RUNTIME_MODEL = 9,
}

/** torch.profiler.supported_activities(): CPU (this libtorch has no libkineto for CUDA). */
export function supportedActivities(): ProfilerActivity[] {
  return [ProfilerActivity.CPU];
}

/** torch.profiler.ProfilerAction: what the profiler does at a step. */
export enum ProfilerAction {
  NONE = 0,
  WARMUP = 1,
  RECORD = 2,
  RECORD_AND_SAVE = 3,
}

export interface ScheduleOptions {
  wait: number;
  warmup: number;
  active: number;
  repeat?: number;
  skipFirst?: number;
}
const SCHEDULE_KEYS = keysOf<ScheduleOptions>()('wait', 'warmup', 'active', 'repeat', 'skipFirst');

/**
 * torch.profiler.schedule({ wait, warmup, active, repeat, skipFirst }): skips skipFirst steps, then
 * cycles through wait, warmup and active steps, repeat times (0: without end).
 */
export function schedule(options: ScheduleOptions): (step: number) => ProfilerAction {
  checkKeywords('schedule', options, SCHEDULE_KEYS);
  const { wait, warmup, active, repeat = 0, skipFirst = 0 } = options;
  if (!(wait >= 0 && warmup >= 0 && active > 0 && repeat >= 0 && skipFirst >= 0)) throw new AssertionError('Invalid profiler schedule arguments');
  if (warmup === 0) warn("Profiler won't be using warmup, this can skew profiler results");
  return (step) => {
    if (!(step >= 0)) throw new AssertionError('');
    if (step < skipFirst) return ProfilerAction.NONE;
    step -= skipFirst;
    const cycle = wait + warmup + active;
    if (repeat > 0 && step / cycle >= repeat) return ProfilerAction.NONE;
    const mod = step % cycle;
    if (mod < wait) return ProfilerAction.NONE;
    if (mod < wait + warmup) return ProfilerAction.WARMUP;
    return mod < cycle - 1 ? ProfilerAction.RECORD : ProfilerAction.RECORD_AND_SAVE;
  };
}

/**
 * torch.profiler.tensorboard_trace_handler(dirName, workerName?, useGzip?): an onTraceReady that
 * writes each trace as <worker>.<ms>.pt.trace.json[.gz] in dirName (TensorBoard's logdir).
 */
export function tensorboardTraceHandler(dirName: string, workerName?: string | null, useGzip = false): (prof: Profile) => void {
  return (prof) => {
    fs.mkdirSync(dirName, { recursive: true });
    const worker = workerName || `${os.hostname()}_${process.pid}`;
    prof.exportChromeTrace(path.join(dirName, `${worker}.${Date.now()}.pt.trace.json${useGzip ? '.gz' : ''}`));
  };
}

export interface ProfileOptions {
  activities?: Iterable<ProfilerActivity>;
  schedule?: ((step: number) => ProfilerAction) | null;
  onTraceReady?: ((prof: Profile) => void) | null;
  recordShapes?: boolean;
  profileMemory?: boolean;
  /** record the JS stack of each op made on this thread (events' stack: "file(line): function") */
  withStack?: boolean;
  withFlops?: boolean;
  withModules?: boolean;
  experimentalConfig?: unknown;
  /** deprecated in PyTorch: use activities */
  useCuda?: boolean | null;
}
const PROFILE_KEYS = keysOf<ProfileOptions>()(
  'activities', 'schedule', 'onTraceReady', 'recordShapes', 'profileMemory', 'withStack', 'withFlops', 'withModules', 'experimentalConfig', 'useCuda',
);

type Transition = () => void;

/** torch.profiler.profile: start() / step() / stop(), or profile(options, fn). */
export class Profile {
  readonly activities: Set<ProfilerActivity>;
  readonly recordShapes: boolean;
  readonly profileMemory: boolean;
  readonly withStack: boolean;
  readonly withFlops: boolean;
  readonly withModules: boolean;
  readonly schedule: (step: number) => ProfilerAction;
  onTraceReady: ((prof: Profile) => void) | null;
  stepNum = 0;
  currentAction: ProfilerAction;
  /** the older-API profiler recording the current cycle */
  profiler: AutogradProfile | null = null;
  private readonly recordSteps: boolean;
  private stepRecord: RecordFunction | null = null;

  constructor(options: ProfileOptions = {}) {
    checkKeywords('profile', options, PROFILE_KEYS);
    const activities = new Set(options.activities ? [...options.activities] : supportedActivities());
    if (options.useCuda != null) {
      warn('use_cuda is deprecated, use activities argument instead');
      if (options.useCuda) activities.add(ProfilerActivity.CUDA);
      else activities.delete(ProfilerActivity.CUDA);
    }
    if (activities.size === 0) throw new AssertionError('No valid profiler activities found');
    // as in Python, the activities given (not the deprecated flag's edit) pick what is recorded
    this.activities = new Set(options.activities ? [...options.activities] : supportedActivities());
    this.recordShapes = options.recordShapes ?? false;
    this.profileMemory = options.profileMemory ?? false;
    this.withStack = options.withStack ?? false;
    this.withFlops = options.withFlops ?? false;
    this.withModules = options.withModules ?? false;
    this.recordSteps = options.schedule != null;
    this.schedule = options.schedule ?? (() => ProfilerAction.RECORD);
    this.onTraceReady = options.onTraceReady ?? null;
    this.currentAction = this.schedule(this.stepNum);
  }

  private prepareTrace = (): void => {
    this.profiler = new AutogradProfile(true, {
      useCuda: this.activities.has(ProfilerActivity.CUDA),
      useCpu: this.activities.has(ProfilerActivity.CPU),
      recordShapes: this.recordShapes,
      withFlops: this.withFlops,
      profileMemory: this.profileMemory,
      withStack: this.withStack,
      withModules: this.withModules,
      useKineto: true,
    });
  };

  private startTrace = (): void => {
    this.profiler!.start();
  };

  private stopTrace = (): void => {
    this.profiler!.stop();
  };

  private traceReady = (): void => {
    this.onTraceReady?.(this);
  };

  private warnThen(message: string, ...then: Transition[]): Transition[] {
    return [() => warn(message), ...then];
  }

  // What to do between one step's action and the next's (Python's action_map; null: stopping).
  private transitions(prev: ProfilerAction, next: ProfilerAction | null): Transition[] {
    const { NONE, WARMUP, RECORD, RECORD_AND_SAVE } = ProfilerAction;
    const saveAndRestart = [this.stopTrace, this.traceReady, this.prepareTrace, this.startTrace];
    if (next === null) {
      if (prev === WARMUP) return [this.startTrace, this.stopTrace];
      return prev === NONE ? [] : [this.stopTrace, this.traceReady];
    }
    switch (prev) {
      case NONE:
        return next === NONE ? [] : next === WARMUP ? [this.prepareTrace] : [this.prepareTrace, this.startTrace];
      case WARMUP:
        if (next === NONE) return this.warnThen('Incorrect schedule: WARMUP followed by NONE', this.startTrace, this.stopTrace);
        return next === WARMUP ? [] : [this.startTrace];
      case RECORD:
        if (next === NONE) return this.warnThen('Incorrect schedule: RECORD followed by NONE', this.stopTrace);
        if (next === WARMUP) return this.warnThen('Incorrect schedule: RECORD followed by WARMUP', this.stopTrace);
        return [];
      case RECORD_AND_SAVE:
        if (next === NONE) return [this.stopTrace, this.traceReady];
        if (next === WARMUP) return [this.stopTrace, this.traceReady, this.prepareTrace];
        return saveAndRestart;
    }
    return [];
  }

  private transit(prev: ProfilerAction, next: ProfilerAction | null): void {
    for (const action of this.transitions(prev, next)) action();
  }

  /** Python's start() / __enter__. */
  start(): this {
    this.transit(ProfilerAction.NONE, this.currentAction);
    if (this.recordSteps) this.stepRecord = new RecordFunction(`ProfilerStep#${this.stepNum}`).enter();
    return this;
  }

  /** Python's stop() / __exit__. */
  stop(): void {
    if (this.recordSteps && this.stepRecord) this.stepRecord.exit();
    this.transit(this.currentAction, null);
  }

  /** Signals that the next step begins: the schedule's next action runs. */
  step(): void {
    if (this.recordSteps && this.stepRecord) this.stepRecord.exit();
    const prev = this.currentAction;
    const step = this.stepNum;
    this.stepNum += 1;
    this.currentAction = this.schedule(this.stepNum);
    this.transit(prev, this.currentAction);
    // PyTorch 1.13 labels the new step with the number of the one just done
    if (this.recordSteps) this.stepRecord = new RecordFunction(`ProfilerStep#${step}`).enter();
  }

  private recorded(): AutogradProfile {
    if (this.profiler === null) throw new AssertionError('');
    return this.profiler;
  }

  /** The collected trace as a Chrome trace JSON file (gzipped for a .gz path). */
  exportChromeTrace(file: string): void {
    this.recorded().exportChromeTrace(file);
  }

  exportStacks(file: string, metric: 'self_cpu_time_total' | 'self_cuda_time_total' = 'self_cpu_time_total'): void {
    this.recorded().exportStacks(file, metric);
  }

  /** The events averaged per name (and input shapes with groupByInputShape). */
  keyAverages(...args: KeyAveragesArgs): EventList<FunctionEventAvg> {
    return this.recorded().keyAverages(...args);
  }

  /**
   * Adds a string entry to the trace's metadata (Python's add_metadata). Without libkineto, as in
   * Python's build beside this one, libtorch logs that metadata needs it.
   */
  addMetadata(key: string, value: string): void {
    native.profilerAddMetadataJson(key, `"${value.replace(/"/g, '\\"')}"`);
  }

  /** Adds a JSON value to the trace's metadata (Python's add_metadata_json). */
  addMetadataJson(key: string, value: string): void {
    native.profilerAddMetadataJson(key, value);
  }

  /** The unaggregated events (null until a cycle has been recorded). */
  events(): EventList<FunctionEvent> | null {
    return this.recorded().functionEvents;
  }
}

/**
 * torch.profiler.profile(options, fn?): with fn, profiles fn (sync or async, given the profiler,
 * which it may step()) and returns the stopped profiler; without, returns it for start() / stop().
 */
export function profile(fn: (prof: Profile) => Promise<unknown>): Promise<Profile>;
export function profile(fn: (prof: Profile) => unknown): Profile;
export function profile(options?: ProfileOptions): Profile;
export function profile(options: ProfileOptions, fn: (prof: Profile) => Promise<unknown>): Promise<Profile>;
export function profile(options: ProfileOptions, fn: (prof: Profile) => unknown): Profile;
export function profile(optionsOrFn?: ProfileOptions | ((prof: Profile) => unknown), fn?: (prof: Profile) => unknown): Profile | Promise<Profile> {
  if (typeof optionsOrFn === 'function') return runProfiled(new Profile(), optionsOrFn);
  const prof = new Profile(optionsOrFn ?? {});
  return fn === undefined ? prof : runProfiled(prof, fn);
}
