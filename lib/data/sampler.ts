// torch.utils.data.sampler: which indices a DataLoader visits, in which order.
import { Tensor } from '../tensor/tensor';
import { Generator } from '../tensor/random';
import { Sized } from './dataset';
import { ValueError, pyRepr, PyTypeError } from './errors';
import { randpermList, randintList, derivedGenerator, multinomialList, float64Tensor } from './rng';
import { keysOf, parse, given, Rest } from '../keywords';

/** Yields indices (or, for a BatchSampler, arrays of indices); len() where the count is known. */
export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
  len?(): number;
  /** len(sampler), as tensors, datasets and loaders have it; Python's TypeError for a sampler without len() */
  get length(): number {
    return lenOf(this);
  }
}

/** A sampler or any iterable of indices, as PyTorch accepts. */
export type SamplerLike<T = number> = Sampler<T> | Iterable<T>;

/** len(x) for a sampler, dataset or array; Python's TypeError when there is none. */
export function lenOf(x: unknown): number {
  if (Array.isArray(x)) return x.length;
  const obj = x as { len?: () => number };
  if (obj && typeof obj.len === 'function') return obj.len();
  throw new PyTypeError(`object of type '${(x as object)?.constructor?.name ?? typeof x}' has no len()`);
}

/** What samplers draw from: anything with len(), or an array (Python's Sized). */
export type SizedLike = Sized | readonly unknown[];

export class SequentialSampler extends Sampler<number> {
  constructor(readonly dataSource: SizedLike) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lenOf(this.dataSource);
    for (let i = 0; i < n; i++) yield i;
  }
  len(): number {
    return lenOf(this.dataSource);
  }
}

/** RandomSampler(data_source, replacement=False, num_samples=None, generator=None): null is None. */
export interface RandomSamplerOptions {
  replacement?: boolean;
  numSamples?: number | null;
  generator?: Generator | null;
}

const RANDOM_SAMPLER_ARGS = ['replacement', 'numSamples', 'generator'] as const;
keysOf<RandomSamplerOptions>()(...RANDOM_SAMPLER_ARGS);

export class RandomSampler extends Sampler<number> {
  readonly replacement: boolean;
  readonly generator?: Generator;
  private readonly _numSamples?: number;

  /** `new RandomSampler(ds, { replacement: true, numSamples: 8 })` or positionally, as Python. */
  constructor(
    readonly dataSource: SizedLike,
    ...rest: Rest<RandomSamplerOptions, typeof RANDOM_SAMPLER_ARGS>
  ) {
    super();
    const options = parse<RandomSamplerOptions>('RandomSampler', given(rest), RANDOM_SAMPLER_ARGS);
    this.replacement = options.replacement ?? false;
    this._numSamples = options.numSamples ?? undefined;
    this.generator = options.generator ?? undefined;
    if (typeof this.replacement !== 'boolean') {
      throw new PyTypeError(`replacement should be a boolean value, but got replacement=${pyRepr(this.replacement)}`);
    }
    const n = this.numSamples;
    if (!Number.isInteger(n) || n <= 0) {
      throw new ValueError(`num_samples should be a positive integer value, but got num_samples=${pyRepr(n)}`);
    }
  }
  /** The dataset's size unless numSamples was given (the dataset may change size). */
  get numSamples(): number {
    return this._numSamples ?? lenOf(this.dataSource);
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lenOf(this.dataSource);
    // Without a generator, PyTorch seeds a fresh one from the global generator at each iteration.
    const generator = this.generator ?? derivedGenerator();
    const total = this.numSamples;
    if (this.replacement) {
      for (let i = 0; i < Math.floor(total / 32); i++) yield* randintList(n, 32, generator);
      yield* randintList(n, total % 32, generator);
    } else {
      for (let i = 0; i < Math.floor(total / n); i++) yield* randpermList(n, generator);
      yield* randpermList(n, generator).slice(0, total % n);
    }
  }
  len(): number {
    return this.numSamples;
  }
}

/** The given indices in a random order. */
export class SubsetRandomSampler extends Sampler<number> {
  readonly generator?: Generator;
  /** SubsetRandomSampler(indices, generator=None): the generator positionally or as { generator }. */
  constructor(
    readonly indices: number[],
    ...rest: Rest<{ generator?: Generator | null }, ['generator']>
  ) {
    super();
    this.generator = parse<{ generator?: Generator | null }>('SubsetRandomSampler', given(rest), ['generator']).generator ?? undefined;
  }
  *[Symbol.iterator](): Iterator<number> {
    for (const i of randpermList(this.indices.length, this.generator)) yield this.indices[i];
  }
  len(): number {
    return this.indices.length;
  }
}

/** numSamples indices drawn with probabilities proportional to `weights`. */
export interface WeightedRandomSamplerOptions {
  replacement?: boolean;
  generator?: Generator | null;
}

export class WeightedRandomSampler extends Sampler<number> {
  readonly weights: Tensor;
  readonly replacement: boolean;
  readonly generator?: Generator;
  /** WeightedRandomSampler(weights, num_samples, replacement=True, generator=None) */
  constructor(
    weights: number[] | Tensor,
    readonly numSamples: number,
    ...rest: Rest<WeightedRandomSamplerOptions, ['replacement', 'generator']>
  ) {
    super();
    const options = parse<WeightedRandomSamplerOptions>('WeightedRandomSampler', given(rest), ['replacement', 'generator']);
    const replacement = (this.replacement = options.replacement ?? true);
    this.generator = options.generator ?? undefined;
    if (typeof numSamples !== 'number' || !Number.isInteger(numSamples) || numSamples <= 0) {
      throw new ValueError(`num_samples should be a positive integer value, but got num_samples=${pyRepr(numSamples)}`);
    }
    if (typeof replacement !== 'boolean') {
      throw new ValueError(`replacement should be a boolean value, but got replacement=${pyRepr(replacement)}`);
    }
    const w = float64Tensor(weights);
    if (w.dim() !== 1) throw new ValueError(`weights should be a 1d sequence but given weights have shape (${w.shape.join(', ')})`);
    this.weights = w;
  }
  *[Symbol.iterator](): Iterator<number> {
    yield* multinomialList(this.weights, this.numSamples, this.replacement, this.generator);
  }
  len(): number {
    return this.numSamples;
  }
}

/** Groups another sampler's indices into arrays of batchSize (the last one shorter unless dropLast). */
export class BatchSampler extends Sampler<number[]> {
  constructor(
    readonly sampler: SamplerLike<number>,
    readonly batchSize: number,
    readonly dropLast: boolean,
  ) {
    super();
    if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValueError(`batch_size should be a positive integer value, but got batch_size=${pyRepr(batchSize)}`);
    }
    if (typeof dropLast !== 'boolean') {
      throw new ValueError(`drop_last should be a boolean value, but got drop_last=${pyRepr(dropLast)}`);
    }
  }
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
  len(): number {
    const n = lenOf(this.sampler);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
}
