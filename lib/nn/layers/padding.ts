// Padding layers (torch/nn/modules/padding.py): constant, zero, reflection and replication padding,
// each a thin F.pad with the padding widened to (left, right) per padded dim as PyTorch's _ntuple does.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { pad, PadMode } from '../functional/vision';
import { Size, ntuple, py } from './size-args';

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
    return py(this.padding);
  }
}

abstract class ConstantPadNd extends PadNd {
  constructor(
    dims: number,
    padding: Size,
    readonly value: number,
  ) {
    super('constant', dims, padding);
  }

  forward(input: Tensor): Tensor {
    return pad(input, this.padding, 'constant', this.value);
  }

  extraRepr(): string {
    return `padding=${py(this.padding)}, value=${this.value}`;
  }
}

export class ConstantPad1d extends ConstantPadNd {
  /** ConstantPad1d(padding, value): padding int or (left, right) */
  constructor(padding: Size, value: number) {
    super(1, padding, value);
  }
}
export class ConstantPad2d extends ConstantPadNd {
  /** ConstantPad2d(padding, value): padding int or (left, right, top, bottom) */
  constructor(padding: Size, value: number) {
    super(2, padding, value);
  }
}
export class ConstantPad3d extends ConstantPadNd {
  /** ConstantPad3d(padding, value): padding int or (left, right, top, bottom, front, back) */
  constructor(padding: Size, value: number) {
    super(3, padding, value);
  }
}

export class ZeroPad2d extends ConstantPadNd {
  /** ZeroPad2d(padding): padding int or (left, right, top, bottom) */
  constructor(padding: Size) {
    super(2, padding, 0);
  }

  extraRepr(): string {
    return py(this.padding);
  }
}

export class ReflectionPad1d extends PadNd {
  /** ReflectionPad1d(padding): padding int or (left, right) */
  constructor(padding: Size) {
    super('reflect', 1, padding);
  }
}
export class ReflectionPad2d extends PadNd {
  /** ReflectionPad2d(padding): padding int or (left, right, top, bottom) */
  constructor(padding: Size) {
    super('reflect', 2, padding);
  }
}
export class ReflectionPad3d extends PadNd {
  /** ReflectionPad3d(padding): padding int or (left, right, top, bottom, front, back) */
  constructor(padding: Size) {
    super('reflect', 3, padding);
  }
}

export class ReplicationPad1d extends PadNd {
  /** ReplicationPad1d(padding): padding int or (left, right) */
  constructor(padding: Size) {
    super('replicate', 1, padding);
  }
}
export class ReplicationPad2d extends PadNd {
  /** ReplicationPad2d(padding): padding int or (left, right, top, bottom) */
  constructor(padding: Size) {
    super('replicate', 2, padding);
  }
}
export class ReplicationPad3d extends PadNd {
  /** ReplicationPad3d(padding): padding int or (left, right, top, bottom, front, back) */
  constructor(padding: Size) {
    super('replicate', 3, padding);
  }
}
