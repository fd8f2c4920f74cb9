// Padding layers (torch/nn/modules/padding.py, PyTorch 2.1): constant, zero, reflection, replication
// and circular padding, each a thin F.pad with the padding widened to (left, right) per padded dim as
// PyTorch's _ntuple does. Each concrete class only says how many trailing dims it pads (static dims);
// the family base binds the arguments, so a class is one line.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { pad, PadMode } from '../functional/vision';
import { ArgsOf, signature } from '../../keywords';
import { ValueError } from '../../errors';
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

/** PyTorch's _ConstantPadNd / _ReflectionPadNd / _ReplicationPadNd / _CircularPadNd: one F.pad mode. */
abstract class PadNd extends Module {
  /** how many trailing dims the concrete class pads (1, 2 or 3) */
  declare static readonly dims: number;
  readonly padding: number[];

  constructor(
    private readonly mode: PadMode,
    padding: Size,
  ) {
    super();
    this.padding = ntuple(padding, 2 * (new.target as unknown as typeof PadNd).dims);
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

  constructor(...args: ArgsOf<typeof CONSTANT_PAD>) {
    const { padding, value } = CONSTANT_PAD.bind(new.target.name, args);
    super('constant', padding);
    this.value = value;
  }

  forward(input: Tensor): Tensor {
    return pad(input, this.padding, 'constant', this.value);
  }

  extraRepr(): string {
    return `padding=${pyStr(this.padding)}, value=${this.value}`;
  }
}

/** ConstantPad1d(padding, value): padding int or (left, right) */
export class ConstantPad1d extends ConstantPadNd {
  static readonly dims = 1;
}
/** ConstantPad2d(padding, value): padding int or (left, right, top, bottom) */
export class ConstantPad2d extends ConstantPadNd {
  static readonly dims = 2;
}
/** ConstantPad3d(padding, value): padding int or (left, right, top, bottom, front, back) */
export class ConstantPad3d extends ConstantPadNd {
  static readonly dims = 3;
}

/** ZeroPadNd(padding): ConstantPadNd with value 0, printed with the padding only. */
abstract class ZeroPadNd extends ConstantPadNd {
  constructor(...args: ArgsOf<typeof PAD>) {
    super({ padding: PAD.bind(new.target.name, args).padding, value: 0 });
  }

  extraRepr(): string {
    return pyStr(this.padding);
  }
}

/** ZeroPad1d(padding): padding int or (left, right) (PyTorch 2.1) */
export class ZeroPad1d extends ZeroPadNd {
  static readonly dims = 1;
}
/** ZeroPad2d(padding): padding int or (left, right, top, bottom) */
export class ZeroPad2d extends ZeroPadNd {
  static readonly dims = 2;
}
/** ZeroPad3d(padding): padding int or (left, right, top, bottom, front, back) (PyTorch 2.1) */
export class ZeroPad3d extends ZeroPadNd {
  static readonly dims = 3;
}

abstract class ReflectionPadNd extends PadNd {
  constructor(...args: ArgsOf<typeof PAD>) {
    super('reflect', PAD.bind(new.target.name, args).padding);
  }
}

/** ReflectionPad1d(padding): padding int or (left, right) */
export class ReflectionPad1d extends ReflectionPadNd {
  static readonly dims = 1;
}
/** ReflectionPad2d(padding): padding int or (left, right, top, bottom) */
export class ReflectionPad2d extends ReflectionPadNd {
  static readonly dims = 2;
}
/** ReflectionPad3d(padding): padding int or (left, right, top, bottom, front, back) */
export class ReflectionPad3d extends ReflectionPadNd {
  static readonly dims = 3;
}

abstract class ReplicationPadNd extends PadNd {
  constructor(...args: ArgsOf<typeof PAD>) {
    super('replicate', PAD.bind(new.target.name, args).padding);
  }
}

/** ReplicationPad1d(padding): padding int or (left, right) */
export class ReplicationPad1d extends ReplicationPadNd {
  static readonly dims = 1;
}
/** ReplicationPad2d(padding): padding int or (left, right, top, bottom) */
export class ReplicationPad2d extends ReplicationPadNd {
  static readonly dims = 2;
}
/** ReplicationPad3d(padding): padding int or (left, right, top, bottom, front, back) */
export class ReplicationPad3d extends ReplicationPadNd {
  static readonly dims = 3;
}

/** Circular padding (PyTorch 2.1): the input must be batched or unbatched for the class's dims. */
abstract class CircularPadNd extends PadNd {
  constructor(...args: ArgsOf<typeof PAD>) {
    super('circular', PAD.bind(new.target.name, args).padding);
  }

  forward(input: Tensor): Tensor {
    const dims = (this.constructor as typeof PadNd).dims;
    const dim = input.dim();
    if (dim !== dims + 1 && dim !== dims + 2) throw new ValueError(`expected ${dims + 1}D or ${dims + 2}D input (got ${dim}D input)`);
    // unbatched: 2.x pads it as a batch of one; 1.13's circular pad requires the batch dim
    if (dim === dims + 1) return super.forward(input.unsqueeze(0)).squeeze(0);
    return super.forward(input);
  }
}

/** CircularPad1d(padding): padding int or (left, right) */
export class CircularPad1d extends CircularPadNd {
  static readonly dims = 1;
}
/** CircularPad2d(padding): padding int or (left, right, top, bottom) */
export class CircularPad2d extends CircularPadNd {
  static readonly dims = 2;
}
/** CircularPad3d(padding): padding int or (left, right, top, bottom, front, back) */
export class CircularPad3d extends CircularPadNd {
  static readonly dims = 3;
}
