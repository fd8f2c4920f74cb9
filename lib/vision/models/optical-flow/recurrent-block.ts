// RAFT's recurrent unit (part of the update block): one or two convolutional GRUs (torchvision's
// large model uses a 1x5 then a 5x1 one) updating the hidden state from the motion and context features.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { keysOf } from '../../../keywords';
import { ValueError } from '../../../errors';
import { keywordOnly } from './keyword-only';

type Size2 = number | readonly [number, number];

export interface ConvGRUOptions {
  inputSize: number;
  hiddenSize: number;
  kernelSize: Size2;
  padding: Size2;
}
const CONV_GRU_KEYS = keysOf<ConvGRUOptions>()('inputSize', 'hiddenSize', 'kernelSize', 'padding');

/** ConvGRU(*, input_size, hidden_size, kernel_size, padding): a GRU whose gates are convs over [h, x]. */
export class ConvGRU extends Module {
  convz: nn.Conv2d;
  convr: nn.Conv2d;
  convq: nn.Conv2d;

  constructor(options: ConvGRUOptions) {
    super();
    keywordOnly('ConvGRU', options, CONV_GRU_KEYS, CONV_GRU_KEYS);
    const { inputSize, hiddenSize, kernelSize, padding } = options;
    const gate = () => new nn.Conv2d(hiddenSize + inputSize, hiddenSize, kernelSize as number, { padding: padding as number });
    this.convz = gate();
    this.convr = gate();
    this.convq = gate();
  }

  forward(h: Tensor, x: Tensor): Tensor {
    const hx = torch.cat([h, x], 1);
    const z = torch.sigmoid(this.convz(hx) as Tensor);
    const r = torch.sigmoid(this.convr(hx) as Tensor);
    const q = torch.tanh(this.convq(torch.cat([r.mul(h), x], 1)) as Tensor);
    // (1 - z) * h + z * q
    return z.neg().add(1).mul(h).add(z.mul(q));
  }
}

export interface RecurrentBlockOptions {
  inputSize: number;
  hiddenSize: number;
  /** one or two GRUs' kernel sizes (default [[1, 5], [5, 1]]) */
  kernelSize?: readonly Size2[];
  /** their paddings (default [[0, 2], [2, 0]]) */
  padding?: readonly Size2[];
}
const RECURRENT_BLOCK_KEYS = keysOf<RecurrentBlockOptions>()('inputSize', 'hiddenSize', 'kernelSize', 'padding');

/** RecurrentBlock(*, input_size, hidden_size, kernel_size=((1, 5), (5, 1)), padding=((0, 2), (2, 0))) */
export class RecurrentBlock extends Module {
  convgru1: ConvGRU;
  /** the second GRU, or the hidden state passed through (not a module, as torchvision's) */
  convgru2: ConvGRU | ((h: Tensor, x: Tensor) => Tensor);
  readonly hiddenSize: number;

  constructor(options: RecurrentBlockOptions) {
    super();
    keywordOnly('RecurrentBlock', options, RECURRENT_BLOCK_KEYS, ['inputSize', 'hiddenSize']);
    const { inputSize, hiddenSize, kernelSize = [[1, 5], [5, 1]], padding = [[0, 2], [2, 0]] } = options;
    if (kernelSize.length !== padding.length) {
      throw new ValueError(`kernel_size should have the same length as padding, instead got len(kernel_size) = ${kernelSize.length} and len(padding) = ${padding.length}`);
    }
    if (kernelSize.length !== 1 && kernelSize.length !== 2) throw new ValueError(`kernel_size should either 1 or 2, instead got ${kernelSize.length}`);
    this.convgru1 = new ConvGRU({ inputSize, hiddenSize, kernelSize: kernelSize[0], padding: padding[0] });
    this.convgru2 = kernelSize.length === 2 ? new ConvGRU({ inputSize, hiddenSize, kernelSize: kernelSize[1], padding: padding[1] }) : (h: Tensor) => h;
    this.hiddenSize = hiddenSize;
  }

  forward(h: Tensor, x: Tensor): Tensor {
    const h1 = this.convgru1(h, x) as Tensor;
    return this.convgru2(h1, x) as Tensor;
  }
}
