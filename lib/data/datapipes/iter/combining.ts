// Concater (dp.concat), Forker (dp.fork), Demultiplexer (dp.demux), Multiplexer (dp.mux), Zipper (dp.zip).
import { IterDataPipe, functionalDatapipe, isSized, noValidLength, pyLen, isIterDataPipe } from '../datapipe';
import { ValueError, PyTypeError, NotImplementedError, TorchError, warn } from '../../../errors';
import { BufferError, checkCallable } from '../common';

/** The elements of each pipe, one pipe after the other. */
export class ConcaterIterDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['datapipes'];
  readonly datapipes: IterDataPipe<T>[];
  /** @internal cached len(); -1: no valid length */
  _length: number | null = null;
  constructor(...datapipes: IterDataPipe<T>[]) {
    super();
    if (datapipes.length === 0) throw new ValueError('Expected at least one DataPipe, but got nothing');
    if (!datapipes.every(isIterDataPipe)) throw new PyTypeError('Expected all inputs to be `IterDataPipe`');
    this.datapipes = datapipes;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (const dp of this.datapipes) yield* dp;
  }
  len(): number {
    if (this._length === null) this._length = this.datapipes.every(isSized) ? this.datapipes.reduce((s, dp) => s + dp.len(), 0) : -1;
    if (this._length === -1) throw noValidLength(this);
    return this._length;
  }
}
functionalDatapipe('concat')(ConcaterIterDataPipe);

/** What a fork / demux output asks of the pipe that feeds it. */
interface ChildSource<T> extends IterDataPipe<T> {
  getNextElementByInstance(instanceId: number): Iterator<T>;
  isEveryInstanceExhausted(): boolean;
}

/** One output of fork / demux: its iterator reads from the shared parent. */
export class _ChildDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['main_datapipe', 'instance_id'];
  /** @internal */
  readonly _isChildDatapipe = true;
  readonly mainDatapipe: ChildSource<T>;
  readonly instanceId: number;
  constructor(mainDatapipe: ChildSource<T>, instanceId: number) {
    super();
    for (const m of ['getNextElementByInstance', 'isEveryInstanceExhausted', 'reset'] as const) {
      if (typeof mainDatapipe[m] !== 'function') {
        throw new NotImplementedError("Main Datapipe must have methods ['get_next_element_by_instance', 'is_every_instance_exhausted', 'reset'] implemented.");
      }
    }
    this.mainDatapipe = mainDatapipe;
    this.instanceId = instanceId;
  }
  [Symbol.iterator](): Iterator<T> {
    return this.mainDatapipe.getNextElementByInstance(this.instanceId);
  }
  len(): number {
    return pyLen(this.mainDatapipe);
  }
  /** @internal a new iterator of this child: the parent restarts once per round of children */
  _setMainDatapipeValidIteratorId(): number {
    const main = this.mainDatapipe;
    if (main._validIteratorId === null) main._validIteratorId = 0;
    else if (main._validIteratorId === this._validIteratorId) {
      main._validIteratorId++;
      if (!main.isEveryInstanceExhausted()) {
        warn(
          'Some child DataPipes are not exhausted when __iter__ is called. We are resetting the buffer and each child DataPipe will read from the start again.',
        );
      }
      main.reset();
    }
    this._validIteratorId = main._validIteratorId;
    return this._validIteratorId;
  }
  /** @internal */
  _checkValidIteratorId(id: number): boolean {
    return id === this._validIteratorId && id === this.mainDatapipe._validIteratorId;
  }
}

export class _ForkerIterDataPipe<T = unknown> extends IterDataPipe<T> implements ChildSource<T> {
  static readonly _params = ['datapipe', 'num_instances', 'buffer_size'];
  readonly mainDatapipe: IterDataPipe<T>;
  private datapipeIterator: Iterator<T> | null = null;
  readonly numInstances: number;
  private buffer: T[] = [];
  readonly bufferSize: number;
  private childPointers: number[];
  private slowestPtr = 0;
  private leadingPtr = 0;
  private endPtr: number | null = null;
  constructor(datapipe: IterDataPipe<T>, numInstances: number, bufferSize = 1000) {
    super();
    this.mainDatapipe = datapipe;
    this.numInstances = numInstances;
    this.bufferSize = bufferSize;
    if (bufferSize < 0) warn('Unlimited buffer size is set for `fork`, please be aware of OOM at random places');
    this.childPointers = new Array(numInstances).fill(0);
  }
  [Symbol.iterator](): Iterator<T> {
    throw new PyTypeError(`'${this.constructor.name}' object is not iterable`);
  }
  len(): number {
    return pyLen(this.mainDatapipe);
  }
  *getNextElementByInstance(instanceId: number): Generator<T> {
    if (this.datapipeIterator === null) this.datapipeIterator = this.mainDatapipe[Symbol.iterator]();
    const ptrs = this.childPointers;
    while (this.endPtr === null || ptrs[instanceId] + 1 < this.endPtr) {
      ptrs[instanceId]++;
      let value: T;
      if (this.buffer.length > 0 && ptrs[instanceId] <= this.leadingPtr) {
        value = this.buffer[ptrs[instanceId] - this.slowestPtr - 1];
      } else {
        this.leadingPtr = ptrs[instanceId];
        const r = this.datapipeIterator!.next();
        if (r.done) {
          this.endPtr = this.leadingPtr;
          continue;
        }
        value = r.value;
        this.buffer.push(value);
      }
      if (ptrs[instanceId] === this.slowestPtr + 1) {
        const newMin = Math.min(...ptrs);
        if (this.slowestPtr < newMin) {
          this.slowestPtr = newMin;
          this.buffer.shift();
        }
      }
      if (this.bufferSize >= 0 && this.leadingPtr > this.bufferSize + this.slowestPtr) {
        throw new BufferError(`ForkerIterDataPipe buffer overflow,buffer size ${this.bufferSize} is insufficient.`);
      }
      yield value;
    }
    if (ptrs.every((p) => p + 1 === this.endPtr)) this.datapipeIterator = null;
  }
  isEveryInstanceExhausted(): boolean {
    const end = this.endPtr;
    return end !== null && this.childPointers.every((p) => end === p || end - 1 === p);
  }
  reset(): void {
    this.datapipeIterator = this.mainDatapipe[Symbol.iterator]();
    this.buffer = [];
    this.childPointers = new Array(this.numInstances).fill(0);
    this.slowestPtr = 0;
    this.leadingPtr = 0;
    this.endPtr = null;
  }
}

/** dp.fork(n): n pipes that each yield every element (buffering up to bufferSize ahead of the slowest). */
export const ForkerIterDataPipe = function ForkerIterDataPipe<T>(datapipe: IterDataPipe<T>, numInstances: number, bufferSize = 1000) {
  if (numInstances < 1) throw new ValueError(`Expected \`num_instaces\` larger than 0, but ${numInstances} is found`);
  if (numInstances === 1) return datapipe;
  const container = new _ForkerIterDataPipe(datapipe, numInstances, bufferSize);
  return Array.from({ length: numInstances }, (_, i) => new _ChildDataPipe(container, i));
} as unknown as {
  new <T>(datapipe: IterDataPipe<T>, numInstances: 1, bufferSize?: number): IterDataPipe<T>;
  new <T>(datapipe: IterDataPipe<T>, numInstances: number, bufferSize?: number): IterDataPipe<T>[];
};
IterDataPipe.registerDatapipeAsFunction('fork', ForkerIterDataPipe);

export class _DemultiplexerIterDataPipe<T = unknown> extends IterDataPipe<T> implements ChildSource<T> {
  static readonly _params = ['datapipe', 'num_instances', 'classifier_fn', 'drop_none', 'buffer_size'];
  readonly mainDatapipe: IterDataPipe<T>;
  private datapipeIterator: Iterator<T> | null = null;
  readonly numInstances: number;
  readonly bufferSize: number;
  private currentBufferUsage = 0;
  private childBuffers: T[][];
  readonly classifierFn: (x: T) => number | null;
  readonly dropNone: boolean;
  private mainDatapipeExhausted = false;
  constructor(datapipe: IterDataPipe<T>, numInstances: number, classifierFn: (x: T) => number | null, dropNone: boolean, bufferSize: number) {
    super();
    this.mainDatapipe = datapipe;
    this.numInstances = numInstances;
    this.bufferSize = bufferSize;
    if (bufferSize < 0) warn('Unlimited buffer size is set for `demux`, please be aware of OOM at random places');
    this.childBuffers = Array.from({ length: numInstances }, () => []);
    this.classifierFn = classifierFn;
    this.dropNone = dropNone;
  }
  [Symbol.iterator](): Iterator<T> {
    throw new PyTypeError(`'${this.constructor.name}' object is not iterable`);
  }
  /** The next element for `instanceId`, buffering the others' on the way; done when the source ends. */
  private findNext(instanceId: number): IteratorResult<T> {
    for (;;) {
      if (this.mainDatapipeExhausted) return { done: true, value: undefined };
      const r = this.datapipeIterator!.next();
      if (r.done) return r;
      const classification = this.classifierFn(r.value);
      if ((classification === null || classification === undefined) && this.dropNone) continue;
      if (classification === null || classification === undefined || classification >= this.numInstances || classification < 0) {
        throw new ValueError(`Output of the classification fn should be between 0 and ${this.numInstances - 1}. ${classification ?? 'None'} is returned.`);
      }
      if (classification === instanceId) return r;
      this.childBuffers[classification].push(r.value);
      this.currentBufferUsage++;
      if (this.bufferSize >= 0 && this.currentBufferUsage > this.bufferSize) {
        throw new BufferError(`DemultiplexerIterDataPipe buffer overflow, buffer size ${this.bufferSize} is insufficient.`);
      }
    }
  }
  *getNextElementByInstance(instanceId: number): Generator<T> {
    if (this.datapipeIterator === null && !this.mainDatapipeExhausted) this.datapipeIterator = this.mainDatapipe[Symbol.iterator]();
    for (;;) {
      if (this.childBuffers[instanceId].length > 0) {
        this.currentBufferUsage--;
        yield this.childBuffers[instanceId].shift()!;
      } else {
        const r = this.findNext(instanceId);
        if (r.done) {
          this.mainDatapipeExhausted = true;
          this.datapipeIterator = null;
          return;
        }
        yield r.value;
      }
    }
  }
  isEveryInstanceExhausted(): boolean {
    return this.mainDatapipeExhausted && this.childBuffers.every((b) => b.length === 0);
  }
  reset(): void {
    this.datapipeIterator = null;
    this.currentBufferUsage = 0;
    this.childBuffers = Array.from({ length: this.numInstances }, () => []);
    this.mainDatapipeExhausted = false;
  }
}

export interface DemuxOptions {
  /** drop elements classified null instead of raising (false) */
  dropNone?: boolean;
  bufferSize?: number;
}

/** dp.demux(n, classifierFn): n pipes; element x goes to pipe classifierFn(x). */
export const DemultiplexerIterDataPipe = function DemultiplexerIterDataPipe<T>(
  datapipe: IterDataPipe<T>,
  numInstances: number,
  classifierFn: (x: T) => number | null,
  dropNoneOrOptions: boolean | DemuxOptions = false,
  bufferSize = 1000,
) {
  let dropNone = dropNoneOrOptions;
  if (typeof dropNoneOrOptions === 'object') ({ dropNone = false, bufferSize = 1000 } = dropNoneOrOptions);
  if (numInstances < 1) throw new ValueError(`Expected \`num_instaces\` larger than 0, but ${numInstances} is found`);
  checkCallable(classifierFn);
  const container = new _DemultiplexerIterDataPipe(datapipe, numInstances, classifierFn, dropNone as boolean, bufferSize);
  return Array.from({ length: numInstances }, (_, i) => new _ChildDataPipe(container, i));
} as unknown as new <T>(
  datapipe: IterDataPipe<T>,
  numInstances: number,
  classifierFn: (x: T) => number | null,
  dropNone?: boolean | DemuxOptions,
  bufferSize?: number,
) => IterDataPipe<T>[];
IterDataPipe.registerDatapipeAsFunction('demux', DemultiplexerIterDataPipe);

/** dp.mux(...others): one element of each pipe in turn, until the shortest ends. */
export class MultiplexerIterDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['datapipes'];
  readonly datapipes: IterDataPipe<T>[];
  /** @internal */
  _length: number | null = null;
  private buffer: T[] = [];
  constructor(...datapipes: IterDataPipe<T>[]) {
    super();
    this.datapipes = datapipes;
  }
  *[Symbol.iterator](): Iterator<T> {
    const iterators = this.datapipes.map((dp) => dp[Symbol.iterator]());
    while (iterators.length > 0) {
      for (const it of iterators) {
        const r = it.next();
        if (r.done) {
          this.buffer = [];
          return;
        }
        this.buffer.push(r.value);
      }
      yield* this.buffer;
      this.buffer = [];
    }
  }
  len(): number {
    if (this._length === null) {
      this._length = this.datapipes.every(isSized) ? Math.min(...this.datapipes.map((dp) => dp.len())) * this.datapipes.length : -1;
    }
    if (this._length === -1) throw noValidLength(this);
    return this._length;
  }
  reset(): void {
    this.buffer = [];
  }
}
functionalDatapipe('mux')(MultiplexerIterDataPipe);

/** dp.zip(...others): arrays of one element of each pipe, until the shortest ends. */
export class ZipperIterDataPipe<T extends unknown[] = unknown[]> extends IterDataPipe<T> {
  static readonly _params = ['datapipes'];
  readonly datapipes: IterDataPipe<unknown>[];
  /** @internal */
  _length: number | null = null;
  constructor(...datapipes: IterDataPipe<unknown>[]) {
    if (!datapipes.every(isIterDataPipe)) throw new PyTypeError('All inputs are required to be `IterDataPipe` for `ZipIterDataPipe`.');
    super();
    this.datapipes = datapipes;
  }
  *[Symbol.iterator](): Iterator<T> {
    const iterators = this.datapipes.map((dp) => dp[Symbol.iterator]());
    try {
      for (;;) {
        const row: unknown[] = [];
        for (const it of iterators) {
          const r = it.next();
          if (r.done) return;
          row.push(r.value);
        }
        yield row as T;
      }
    } finally {
      // as Python's zip: what the other pipes still hold is read out (and dropped)
      for (const it of iterators) {
        try {
          for (let r = it.next(); !r.done; r = it.next());
        } catch (e) {
          if (!(e instanceof TorchError)) throw e;
        }
      }
    }
  }
  len(): number {
    if (this._length === null) this._length = this.datapipes.every(isSized) ? Math.min(...this.datapipes.map((dp) => dp.len())) : -1;
    if (this._length === -1) throw noValidLength(this);
    return this._length;
  }
}
functionalDatapipe('zip')(ZipperIterDataPipe);
