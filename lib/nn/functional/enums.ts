// String enum arguments: PyTorch's spelling ('fan_in', 'leaky_relu') is canonical; the camelCase
// spelling ('fanIn', 'leakyRelu') is accepted too and mapped to it.
import { TorchError, warn } from '../../errors';

/** 'fanIn' -> 'fan_in', 'convTranspose2d' -> 'conv_transpose2d'; snake_case passes unchanged. */
export function snakeCase(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The canonical spelling of `value`, which must be one of `allowed` (PyTorch's error otherwise). */
export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = snakeCase(value);
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new TorchError(`${value} is not a valid value for ${what}`);
}

export type Reduction = 'none' | 'mean' | 'sum';
const REDUCTIONS = ['none', 'mean', 'sum'] as const;

/** ATen's reduction enum: none 0, mean 1, sum 2. */
export function reductionEnum(reduction: string = 'mean'): number {
  const i = (REDUCTIONS as readonly string[]).indexOf(reduction);
  if (i < 0) throw new TorchError(`${reduction} is not a valid value for reduction`);
  return i;
}

/** The deprecated size_average / reduce pair, which Python's losses still accept positionally. */
export type LegacyReduction = { sizeAverage?: boolean | null; reduce?: boolean | null };

/** Python's legacy_get_string: the reduction the deprecated arguments mean, with its warning. */
export function reductionOf(o: LegacyReduction & { reduction?: Reduction }): Reduction {
  if ((o.sizeAverage === undefined || o.sizeAverage === null) && (o.reduce === undefined || o.reduce === null)) return o.reduction ?? 'mean';
  const sizeAverage = o.sizeAverage ?? true;
  const reduce = o.reduce ?? true;
  const r: Reduction = sizeAverage && reduce ? 'mean' : reduce ? 'sum' : 'none';
  warn(`size_average and reduce args will be deprecated, please use reduction='${r}' instead.`);
  return r;
}
