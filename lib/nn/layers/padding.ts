// Padding layers (torch/nn/modules/padding.py): constant, zero, reflection and replication padding,
// each a thin F.pad with the padding widened to (left, right) per padded dim as PyTorch's _ntuple does.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { pad, PadMode } from '../functional/vision';
import { ArgsOf, signature } from '../../keywords';
import { pyStr } from '../../py-format';
import { Size, ntuple } from './size-args';

/** The padding layers' parameters by name: ReflectionPad2d(padding), ConstantPad2d(padding, value). */
export interface PadArgs {
  padding: Size;
}
export interface ConstantPadArgs extends PadArgs {
  value: number;
}
const PAD = signature<PadArgs>()(['padding'], []);
const CONSTANT_PAD = signature<ConstantPadArgs>()(['padding', 'value'], []);

/** PyTorch's _ConstantPadNd / _ReflectionPadNd / _ReplicationPadNd: one F.pad mode. */
abstract class PadNd extends Module {
  readonly padding: number[];

  constructor(
    private readonly mode: PadMode,
    dims: number,
    padding: Size,
  ) {
    super();
    this.padding = ntuple(padding, 2 * dims);
  }

  forward(input: Tensor): Tensor {
    return pad(input, this.padding, this.mode);
  }

  extraRepr(): string {
    return pyStr(this.padding);
  }
}

abstract class ConstantPadNd extends PadNd {
  readonly value: number;

  constructor(dims: number, args: readonly unknown[]) {
    const { padding, value } = CONSTANT_PAD.bind(new.target.name, args);
    super('constant', dims, padding);
    this.value = value;
  }

  forward(input: Tensor): Tensor {
    return pad(input, this.padding, 'constant', this.value);
  }

  extraRepr(): string {
    return `padding=${pyStr(this.padding)}, value=${this.value}`;
  }
}

export class ConstantPad1d extends ConstantPadNd {
  /** ConstantPad1d(padding, value): padding int or (left, right) */
  constructor(...args: ArgsOf<typeof CONSTANT_PAD>) {
    super(1, args);
  }
}
export class ConstantPad2d extends ConstantPadNd {
  /** ConstantPad2d(padding, value): padding int or (left, right, top, bottom) */
  constructor(...args: ArgsOf<typeof CONSTANT_PAD>) {
    super(2, args);
  }
}
export class ConstantPad3d extends ConstantPadNd {
  /** ConstantPad3d(padding, value): padding int or (left, right, top, bottom, front, back) */
  constructor(...args: ArgsOf<typeof CONSTANT_PAD>) {
    super(3, args);
  }
}

export class ZeroPad2d extends ConstantPadNd {
  /** ZeroPad2d(padding): padding int or (left, right, top, bottom) */
  constructor(...args: ArgsOf<typeof PAD>) {
    super(2, [{ padding: PAD.bind('ZeroPad2d', args).padding, value: 0 }]);
  }

  extraRepr(): string {
    return pyStr(this.padding);
  }
}

export class ReflectionPad1d extends PadNd {
  /** ReflectionPad1d(padding): padding int or (left, right) */
  constructor(...args: ArgsOf<typeof PAD>) {
    super('reflect', 1, PAD.bind(new.target.name, args).padding);
  }
}
export class ReflectionPad2d extends PadNd {
  /** ReflectionPad2d(padding): padding int or (left, right, top, bottom) */
  constructor(...args: ArgsOf<typeof PAD>) {
    super('reflect', 2, PAD.bind(new.target.name, args).padding);
  }
}
export class ReflectionPad3d extends PadNd {
  /** ReflectionPad3d(padding): padding int or (left, right, top, bottom, front, back) */
  constructor(...args: ArgsOf<typeof PAD>) {
    super('reflect', 3, PAD.bind(new.target.name, args).padding);
  }
}

export class ReplicationPad1d extends PadNd {
  /** ReplicationPad1d(padding): padding int or (left, right) */
  constructor(...args: ArgsOf<typeof PAD>) {
    super('replicate', 1, PAD.bind(new.target.name, args).padding);
  }
}
export class ReplicationPad2d extends PadNd {
  /** ReplicationPad2d(padding): padding int or (left, right, top, bottom) */
  constructor(...args: ArgsOf<typeof PAD>) {
    super('replicate', 2, PAD.bind(new.target.name, args).padding);
  }
}
export class ReplicationPad3d extends PadNd {
  /** ReplicationPad3d(padding): padding int or (left, right, top, bottom, front, back) */
  constructor(...args: ArgsOf<typeof PAD>) {
    super('replicate', 3, PAD.bind(new.target.name, args).padding);
  }
}
