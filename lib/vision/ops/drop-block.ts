// torchvision.ops drop_block2d / drop_block3d and their modules (drop_block.py): DropBlock zeroes
// whole block_size-wide squares (cubes) of each feature map, seeded by one bernoulli_ draw over the
// valid block centres, as torchvision draws it (so a seeded run drops the same blocks as Python's).
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { pad } from '../../nn/functional/vision';
import { maxPool2d, maxPool3d } from '../../nn/functional/pooling';
import { pyBool, pyFloat } from '../../py-format';
import { ArgsOf, signature } from '../../keywords';

export interface DropBlockArgs {
  input: Tensor;
  /** the probability of zeroing an element */
  p: number;
  blockSize: number;
  inplace?: boolean;
  eps?: number;
  training?: boolean;
}
const DROP_BLOCK_2D = signature<DropBlockArgs>()(['input', 'p', 'blockSize'], ['inplace', 'eps', 'training']);
const DROP_BLOCK_3D = signature<DropBlockArgs>()(['input', 'p', 'blockSize'], ['inplace', 'eps', 'training']);

function dropBlock(dims: 2 | 3, o: DropBlockArgs): Tensor {
  const { input, p, inplace = false, eps = 1e-6, training = true } = o;
  if (p < 0 || p > 1) throw new ValueError(`drop probability has to be between 0 and 1, but got ${pyFloat(p)}.`);
  if (input.dim() !== dims + 2) throw new ValueError(`input should be ${dims + 2} dimensional. Got ${input.dim()} dimensions.`);
  if (!training || p === 0) return input;
  const [n, c, ...spatial] = input.shape;
  const blockSize = Math.min(o.blockSize, ...spatial);
  const valid = spatial.map((s) => s - blockSize + 1);
  const cells = spatial.reduce((a, s) => a * s, 1);
  const gamma = (p * cells) / (blockSize ** dims * valid.reduce((a, s) => a * s, 1));
  let noise = torch.empty([n, c, ...valid], { dtype: input.dtype, device: input.device });
  noise.bernoulli_(gamma);
  const half = Math.floor(blockSize / 2);
  noise = pad(noise, new Array(2 * dims).fill(half), { value: 0 });
  const kernel = new Array(dims).fill(blockSize);
  const options = { stride: new Array(dims).fill(1), padding: half };
  noise = (dims === 2 ? maxPool2d(noise, kernel, options) : maxPool3d(noise, kernel, options)).neg().add(1);
  const normalizeScale = noise.sum().add(eps).reciprocal().mul(noise.numel());
  if (inplace) return input.mul_(noise).mul_(normalizeScale);
  return input.mul(noise).mul(normalizeScale);
}

/** drop_block2d(input, p, block_size, inplace=False, eps=1e-06, training=True) on [N, C, H, W] */
export function dropBlock2d(...args: ArgsOf<typeof DROP_BLOCK_2D>): Tensor {
  return dropBlock(2, DROP_BLOCK_2D.bind('drop_block2d', args));
}

/** drop_block3d(input, p, block_size, inplace=False, eps=1e-06, training=True) on [N, C, D, H, W] */
export function dropBlock3d(...args: ArgsOf<typeof DROP_BLOCK_3D>): Tensor {
  return dropBlock(3, DROP_BLOCK_3D.bind('drop_block3d', args));
}

export interface DropBlockModuleArgs {
  p: number;
  blockSize: number;
  inplace?: boolean;
  eps?: number;
}
const DROP_BLOCK_MODULE = signature<DropBlockModuleArgs>()(['p', 'blockSize'], ['inplace', 'eps']);

/** DropBlock2d(p, block_size, inplace=False, eps=1e-06): drop_block2d while training. */
export class DropBlock2d extends Module {
  readonly p: number;
  readonly blockSize: number;
  readonly inplace: boolean;
  readonly eps: number;

  constructor(...args: ArgsOf<typeof DROP_BLOCK_MODULE>) {
    super();
    const { p, blockSize, inplace = false, eps = 1e-6 } = DROP_BLOCK_MODULE.bind(new.target.name, args);
    this.p = p;
    this.blockSize = blockSize;
    this.inplace = inplace;
    this.eps = eps;
  }

  forward(input: Tensor): Tensor {
    return dropBlock2d(input, this.p, this.blockSize, this.inplace, this.eps, this.training);
  }

  toString(): string {
    return `${this._getName()}(p=${pyFloat(this.p)}, block_size=${this.blockSize}, inplace=${pyBool(this.inplace)})`;
  }
}

/** DropBlock3d(p, block_size, inplace=False, eps=1e-06): drop_block3d while training. */
export class DropBlock3d extends DropBlock2d {
  forward(input: Tensor): Tensor {
    return dropBlock3d(input, this.p, this.blockSize, this.inplace, this.eps, this.training);
  }
}
