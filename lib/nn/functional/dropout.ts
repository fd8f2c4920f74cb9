// Dropout family. `training` defaults as in Python (True, but False for the alpha variants); when
// it is false the input is returned as is. Draws from the same generator as PyTorch.
import { Tensor, TorchError, aten } from './torch';
import { Rest, parse } from './args';
import { warn } from '../../errors';

const op = {
  dropout: aten('dropout'),
  dropout_: aten('dropout_'),
  alphaDropout: aten('alpha_dropout'),
  alphaDropout_: aten('alpha_dropout_'),
  featureDropout: aten('feature_dropout'),
  featureDropout_: aten('feature_dropout_'),
  featureAlphaDropout: aten('feature_alpha_dropout'),
  featureAlphaDropout_: aten('feature_alpha_dropout_'),
};

/** The plain op, or the in-place one returning `input` itself as PyTorch does. */
function run(inplace: boolean, plain: (a: unknown[]) => unknown, inPlace: (a: unknown[]) => unknown, args: [Tensor, number, boolean]): Tensor {
  if (!inplace) return plain(args) as Tensor;
  inPlace(args);
  return args[0];
}

export type DropoutOptions = { p?: number; training?: boolean; inplace?: boolean };
const DROPOUT = ['p', 'training', 'inplace'] as const;

function options(name: string, rest: readonly unknown[], trainingDefault: boolean): [number, boolean, boolean] {
  const o = parse<DropoutOptions>(name, rest, DROPOUT);
  const p = o.p ?? 0.5;
  if (p < 0 || p > 1) throw new TorchError(`dropout probability has to be between 0 and 1, but got ${p}`);
  return [p, o.training ?? trainingDefault, o.inplace ?? false];
}

/** F.dropout(input, p=0.5, training=True, inplace=False) */
export function dropout(input: Tensor, ...rest: Rest<DropoutOptions, typeof DROPOUT>): Tensor {
  const [p, training, inplace] = options('dropout', rest, true);
  return run(inplace, op.dropout, op.dropout_, [input, p, training]);
}

/** F.alpha_dropout(input, p=0.5, training=False, inplace=False): keeps SELU's self-normalisation */
export function alphaDropout(input: Tensor, ...rest: Rest<DropoutOptions, typeof DROPOUT>): Tensor {
  const [p, training, inplace] = options('alphaDropout', rest, false);
  return run(inplace, op.alphaDropout, op.alphaDropout_, [input, p, training]);
}

/** F.feature_alpha_dropout(input, p=0.5, training=False, inplace=False) */
export function featureAlphaDropout(input: Tensor, ...rest: Rest<DropoutOptions, typeof DROPOUT>): Tensor {
  const [p, training, inplace] = options('featureAlphaDropout', rest, false);
  return run(inplace, op.featureAlphaDropout, op.featureAlphaDropout_, [input, p, training]);
}

/** Channel-wise dropout on a batched input; an unbatched one gets a batch dim for the call. */
function featureDropout(input: Tensor, p: number, training: boolean, inplace: boolean, batched: boolean): Tensor {
  if (inplace) {
    if (!batched) input.unsqueeze_(0);
    op.featureDropout_([input, p, training]);
    if (!batched) input.squeeze_(0);
    return input;
  }
  const result = op.featureDropout([batched ? input : input.unsqueeze(0), p, training]) as Tensor;
  return batched ? result : result.squeeze(0);
}

/** F.dropout1d(input, p=0.5, training=True, inplace=False): zeroes whole channels of (N, C, L) or (C, L) */
export function dropout1d(input: Tensor, ...rest: Rest<DropoutOptions, typeof DROPOUT>): Tensor {
  const [p, training, inplace] = options('dropout1d', rest, true);
  const dim = input.dim();
  if (dim !== 2 && dim !== 3) {
    throw new TorchError(`dropout1d: Expected 2D or 3D input, but received a ${dim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  }
  return featureDropout(input, p, training, inplace, dim === 3);
}

/** F.dropout2d(input, p=0.5, training=True, inplace=False): zeroes whole channels of (N, C, H, W) */
export function dropout2d(input: Tensor, ...rest: Rest<DropoutOptions, typeof DROPOUT>): Tensor {
  const [p, training, inplace] = options('dropout2d', rest, true);
  const dim = input.dim();
  if (dim !== 3 && dim !== 4) {
    warn(`dropout2d: Received a ${dim}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).`);
  }
  if (dim === 3) {
    warn('dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.');
  }
  return run(inplace, op.featureDropout, op.featureDropout_, [input, p, training]);
}

/** F.dropout3d(input, p=0.5, training=True, inplace=False): zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) */
export function dropout3d(input: Tensor, ...rest: Rest<DropoutOptions, typeof DROPOUT>): Tensor {
  const [p, training, inplace] = options('dropout3d', rest, true);
  const dim = input.dim();
  if (dim !== 4 && dim !== 5) {
    warn(`dropout3d: Received a ${dim}-D input to dropout3d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).`);
  }
  return featureDropout(input, p, training, inplace, dim === 5);
}
