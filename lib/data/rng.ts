// The few random draws the data utilities make, exactly as PyTorch's code makes them, so a seeded
// torch.Generator (or torch.manualSeed) gives Python's orders and splits.
import { Tensor } from '../tensor/tensor';
import { aten } from '../tensor/aten';
import { empty, randperm, randint, tensor } from '../tensor/create';
import { Generator } from '../tensor/random';
import { int64, float64 } from '../tensor/dtype';

const random_ = aten('random_', '');
const multinomialOp = aten('multinomial', '');

/** Integer elements of an int64 tensor (exact below 2^53, which indices always are). */
export function toNumbers(t: Tensor): number[] {
  return Array.from(t.toTypedArray() as BigInt64Array, Number);
}

/** torch.randperm(n, generator=g).tolist() */
export function randpermList(n: number, generator?: Generator): number[] {
  return toNumbers(randperm(n, { generator }));
}

/** torch.randint(high=n, size=(k,), dtype=torch.int64, generator=g).tolist() */
export function randintList(high: number, k: number, generator?: Generator): number[] {
  return toNumbers(randint(high, [k], { generator }));
}

/** int(torch.empty((), dtype=torch.int64).random_(generator=g).item()): a 63-bit seed. */
export function randomSeed(generator?: Generator): bigint {
  const t = empty([], { dtype: int64 });
  random_([t], { generator });
  return (t.toTypedArray() as BigInt64Array)[0];
}

/** A fresh generator seeded from the given one (or the default), as RandomSampler makes one. */
export function derivedGenerator(generator?: Generator): Generator {
  return new Generator().manualSeed(randomSeed(generator));
}

/** torch.multinomial(weights(float64), numSamples, replacement, generator=g).tolist() */
export function multinomialList(weights: Tensor, numSamples: number, replacement: boolean, generator?: Generator): number[] {
  return toNumbers(multinomialOp([weights, numSamples, replacement], { generator }) as Tensor);
}

export function float64Tensor(values: number[] | Tensor): Tensor {
  return values instanceof Tensor ? values.to(float64) : tensor(values, { dtype: float64 });
}
