// torch.utils.data.distributed.DistributedSampler: each of numReplicas processes reads its own
// disjoint slice of a (shuffled, padded) index list. numReplicas and rank default to the default
// process group's world size and rank (torch.distributed), as in Python.
import { Generator } from '../tensor/random';
import { Sized } from './dataset';
import { Sampler } from './sampler';
import { ValueError } from './errors';
import { randpermList } from './rng';
import { keysOf, parse, given, Rest } from '../keywords';
import { TorchError } from '../errors';
import { isAvailable } from '../distributed/native-c10d';
import { getRank, getWorldSize } from '../distributed/groups';

/** The default process group's world size or rank; Python's errors without one. */
function processGroupDefault(query: () => number): number {
  if (!isAvailable()) throw new TorchError('Requires distributed package to be available');
  return query();
}

/** DistributedSampler(dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False): null is None. */
export interface DistributedSamplerOptions {
  numReplicas?: number | null;
  rank?: number | null;
  shuffle?: boolean;
  seed?: number;
  dropLast?: boolean;
}

const DISTRIBUTED_SAMPLER_ARGS = ['numReplicas', 'rank', 'shuffle', 'seed', 'dropLast'] as const;
keysOf<DistributedSamplerOptions>()(...DISTRIBUTED_SAMPLER_ARGS);

export class DistributedSampler extends Sampler<number> {
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  readonly numSamples: number;
  readonly totalSize: number;
  epoch = 0;

  /** Python's positional and keyword forms: `new DistributedSampler(ds, 2, 0)`, `new DistributedSampler(ds, { numReplicas: 2, rank: 0 })`. */
  constructor(
    readonly dataset: Sized,
    ...rest: Rest<DistributedSamplerOptions, typeof DISTRIBUTED_SAMPLER_ARGS>
  ) {
    super();
    const options = parse<DistributedSamplerOptions>('DistributedSampler', given(rest), DISTRIBUTED_SAMPLER_ARGS);
    this.numReplicas = options.numReplicas ?? processGroupDefault(getWorldSize);
    this.rank = options.rank ?? processGroupDefault(getRank);
    if (this.rank >= this.numReplicas || this.rank < 0) {
      throw new ValueError(`Invalid rank ${this.rank}, rank should be in the interval [0, ${this.numReplicas - 1}]`);
    }
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 0;
    this.dropLast = options.dropLast ?? false;
    const n = dataset.len();
    this.numSamples =
      this.dropLast && n % this.numReplicas !== 0 ? Math.ceil((n - this.numReplicas) / this.numReplicas) : Math.ceil(n / this.numReplicas);
    this.totalSize = this.numSamples * this.numReplicas;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataset.len();
    let indices: number[];
    if (this.shuffle) {
      // Deterministic per epoch: every replica computes the same permutation.
      indices = randpermList(n, new Generator().manualSeed(this.seed + this.epoch));
    } else {
      indices = Array.from({ length: n }, (_, i) => i);
    }
    if (!this.dropLast) {
      const padding = this.totalSize - indices.length;
      // Repeat the list as often as needed to reach totalSize.
      const repeated: number[] = [];
      while (repeated.length < padding) repeated.push(...indices);
      indices = indices.concat(repeated.slice(0, padding));
    } else {
      indices = indices.slice(0, this.totalSize);
    }
    for (let i = this.rank; i < this.totalSize; i += this.numReplicas) yield indices[i];
  }
  len(): number {
    return this.numSamples;
  }
  /** A different shuffle each epoch: call before iterating each epoch. */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }
}
