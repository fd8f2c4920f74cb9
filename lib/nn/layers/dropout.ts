// nn.Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout (torch/nn/modules/dropout.py):
// active only in training mode; same draws as PyTorch for the same seed.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { dropout, dropout1d, dropout2d, dropout3d, alphaDropout, featureAlphaDropout } from '../functional/dropout';
import { parse, Rest } from '../functional/args';
import { pyBool, pyFloat } from '../../py-format';

export interface DropoutNdOptions {
  p?: number;
  inplace?: boolean;
}
const DROPOUT_ARGS = ['p', 'inplace'] as const satisfies readonly (keyof DropoutNdOptions)[];

/** PyTorch's _DropoutNd: p and inplace, checked and printed alike by every variant. */
export abstract class DropoutNd extends Module {
  readonly p: number;
  readonly inplace: boolean;

  /** (p = 0.5, inplace = false), positionally or in an options object: (0.2), (0.2, { inplace }), ({ p, inplace }) */
  constructor(...args: Rest<DropoutNdOptions, typeof DROPOUT_ARGS>) {
    super();
    const o = parse<DropoutNdOptions>(new.target.name, args, DROPOUT_ARGS);
    this.p = o.p ?? 0.5;
    this.inplace = o.inplace ?? false;
    if (typeof this.p !== 'number') throw new TorchError(`${new.target.name}: p must be a number, got ${typeof this.p}`);
    if (this.p < 0 || this.p > 1) throw new TorchError(`dropout probability has to be between 0 and 1, but got ${pyFloat(this.p)}`);
  }

  abstract forward(input: Tensor): Tensor;

  extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

/** Zeroes elements with probability p, scaling the rest by 1/(1-p). */
export class Dropout extends DropoutNd {
  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of (N, C, L) or (C, L). */
export class Dropout1d extends DropoutNd {
  forward(input: Tensor): Tensor {
    return dropout1d(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of (N, C, H, W) or (C, H, W). */
export class Dropout2d extends DropoutNd {
  forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W). */
export class Dropout3d extends DropoutNd {
  forward(input: Tensor): Tensor {
    return dropout3d(input, this.p, this.training, this.inplace);
  }
}

/** Dropout that keeps SELU's zero mean and unit variance. */
export class AlphaDropout extends DropoutNd {
  // PyTorch ignores inplace here
  forward(input: Tensor): Tensor {
    return alphaDropout(input, this.p, this.training);
  }
}

/** Channel-wise alpha dropout. */
export class FeatureAlphaDropout extends DropoutNd {
  // PyTorch ignores inplace here
  forward(input: Tensor): Tensor {
    return featureAlphaDropout(input, this.p, this.training);
  }
}
