// torch.range(start, end, step=1): PyTorch's deprecated inclusive range. Unlike arange it includes
// end and always makes the default float dtype unless given one; Python warns on every use.
import { warn } from '../errors';
import { signature, ArgsOf } from '../keywords';
import { aten } from './aten';
import { TensorOptions, factoryKwargs, finish } from './create';
import { Tensor } from './tensor';

type RangeArgs = { start: number; end: number; step?: number } & TensorOptions;
const RANGE = signature<RangeArgs>()(['start', 'end'], ['step'], ['dtype', 'device', 'requiresGrad']);
const rangeOp = aten('range', 'step');

/** torch.range(start, end, step=1): start, start + step, ... up to and including end. */
export function range(...args: ArgsOf<typeof RANGE>): Tensor {
  const { start, end, step = 1, ...options } = RANGE.bind('range', args);
  warn(
    "torch.range is deprecated and will be removed in a future release because its behavior is inconsistent with Python's range builtin. " +
      'Instead, use torch.arange, which produces values in [start, end).',
  );
  return finish(rangeOp([start, end, step], factoryKwargs('range', options)) as Tensor, options);
}
