// torch.utils.data.random_split: non-overlapping random subsets of given lengths or fractions.
import { Generator } from '../tensor/random';
import { Dataset, Subset } from './dataset';
import { ValueError } from './errors';
import { randpermList } from './rng';
import { lenOf } from './sampler';
import { bind, Rest } from '../keywords';
import { warn } from '../errors';

// Python's math.isclose with its default rel_tol=1e-9.
const isClose = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

export interface RandomSplitOptions {
  generator?: Generator | null;
}

/**
 * random_split(dataset, lengths, generator=default_generator): the generator positionally or as
 * { generator }, as Python's keyword.
 */
export function randomSplit<T>(dataset: Dataset<T> | readonly T[], lengths: number[], ...rest: Rest<RandomSplitOptions, ['generator']>): Subset<T>[] {
  const args = bind<RandomSplitOptions>('randomSplit', [dataset, lengths, ...rest], ['dataset', 'lengths'], ['generator']);
  const generator = args.generator ?? undefined;
  const n = lenOf(dataset);
  let sum = lengths.reduce((a, b) => a + b, 0);
  if (isClose(sum, 1) && sum <= 1) {
    const sizes = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new ValueError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    // Hand the remainder out one by one, round-robin, as PyTorch does.
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
    sizes.forEach((len, i) => {
      if (len === 0) warn(`Length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
    lengths = sizes;
    sum = n;
  }
  if (sum !== n) throw new ValueError('Sum of input lengths does not equal the length of the input dataset!');
  const indices = randpermList(sum, generator);
  let offset = 0;
  return lengths.map((len) => new Subset(dataset, indices.slice(offset, (offset += len))));
}
