// Sampler (indices drawn by a torch Sampler) and Shuffler (dp.shuffle: a buffer shuffled with
// Python's random.Random, so the same seed gives Python's order).
import { IterDataPipe, functionalDatapipe, isSized, noValidLength } from '../datapipe';
import { AssertionError } from '../../../errors';
import { Sampler, SequentialSampler } from '../../sampler';
import { randomSeed } from '../../rng';
import { PythonRandom } from '../../../python-random';

type SamplerClass = new (dataSource: any, ...args: any[]) => Sampler<any>;

/** Yields what `new sampler(datapipe, ...samplerArgs)` yields (indices, for torch's samplers). */
export class SamplerIterDataPipe<T = number> extends IterDataPipe<T> {
  static readonly _params = ['datapipe', 'sampler', 'sampler_args', 'sampler_kwargs'];
  readonly datapipe: IterDataPipe<unknown>;
  readonly samplerArgs: unknown[];
  readonly samplerKwargs: Record<string, unknown>;
  readonly sampler: Sampler<T>;
  constructor(datapipe: IterDataPipe<unknown>, sampler: SamplerClass = SequentialSampler, samplerArgs: unknown[] | null = null, samplerKwargs: Record<string, unknown> | null = null) {
    if (!isSized(datapipe)) throw new AssertionError('Sampler class requires input datapipe implemented `__len__`');
    super();
    this.datapipe = datapipe;
    this.samplerArgs = samplerArgs ?? [];
    this.samplerKwargs = samplerKwargs ?? {};
    const kwargs = Object.keys(this.samplerKwargs).length > 0 ? [this.samplerKwargs] : [];
    this.sampler = new sampler(this.datapipe, ...this.samplerArgs, ...kwargs) as Sampler<T>;
  }
  [Symbol.iterator](): Iterator<T> {
    return this.sampler[Symbol.iterator]();
  }
  len(): number {
    if (isSized(this.sampler) && this.sampler.len!() >= 0) return this.sampler.len!();
    throw noValidLength(this);
  }
}

export interface ShufflerOptions {
  /** how many elements are shuffled at a time (10000) */
  bufferSize?: number;
  /** unbatch this many levels first (0) */
  unbatchLevel?: number;
}

export class ShufflerIterDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['datapipe', 'buffer_size', 'unbatch_level'];
  readonly datapipe: IterDataPipe<T>;
  readonly bufferSize: number;
  /** @internal */
  _buffer: T[] = [];
  /** @internal */
  _enabled = true;
  /** @internal the seed the next iteration starts from (null: drawn from torch's generator) */
  _seed: number | bigint | null = null;
  /** @internal */
  readonly _rng = new PythonRandom();

  constructor(datapipe: IterDataPipe<T>, options: ShufflerOptions = {}) {
    super();
    const { bufferSize = 10000, unbatchLevel = 0 } = options;
    if (!(bufferSize > 0)) throw new AssertionError('buffer_size should be larger than 0');
    this.datapipe = unbatchLevel === 0 ? datapipe : ((datapipe as any).unbatch(unbatchLevel) as IterDataPipe<T>);
    this.bufferSize = bufferSize;
  }

  /** Turns shuffling on or off (DataLoader's shuffle option does this). */
  setShuffle(shuffle = true): this {
    this._enabled = shuffle;
    return this;
  }
  /** The seed of the next iteration. */
  setSeed(seed: number | bigint): this {
    this._seed = seed;
    return this;
  }

  *[Symbol.iterator](): Iterator<T> {
    if (!this._enabled) {
      yield* this.datapipe;
      return;
    }
    for (const x of this.datapipe) {
      if (this._buffer.length === this.bufferSize) {
        const idx = this._rng.randint(0, this._buffer.length - 1);
        const val = this._buffer[idx];
        this._buffer[idx] = x;
        yield val;
      } else {
        this._buffer.push(x);
      }
    }
    while (this._buffer.length > 0) {
      const idx = this._rng.randint(0, this._buffer.length - 1);
      yield this._buffer.splice(idx, 1)[0];
    }
  }

  len(): number {
    if (isSized(this.datapipe)) return this.datapipe.len();
    throw noValidLength(this);
  }

  reset(): void {
    this._buffer = [];
    if (this._enabled) {
      if (this._seed === null) this._seed = randomSeed();
      this._rng.seed(this._seed);
      this._seed = null;
    }
  }
}
functionalDatapipe('shuffle')(ShufflerIterDataPipe);
