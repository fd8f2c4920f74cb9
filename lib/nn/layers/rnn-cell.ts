// nn.RNNCell, nn.LSTMCell, nn.GRUCell (torch/nn/modules/rnn.py, 1.13): one time step, over the
// ATen cell kernels (rnn_tanh_cell / rnn_relu_cell / lstm_cell / gru_cell); 1-D input is unbatched.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty, zeros } from '../../tensor/create';
import { aten } from '../../tensor/aten';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { Rest, parse } from '../functional/args';
import { checkKeywords } from '../../keywords';
import { FACTORY_KEYS, type FactoryOptions } from './linear';
import { pyBool } from './py-format';

const op = {
  rnnTanhCell: aten('rnn_tanh_cell'),
  rnnReluCell: aten('rnn_relu_cell'),
  lstmCell: aten('lstm_cell'),
  gruCell: aten('gru_cell'),
};

export interface CellOptions extends FactoryOptions {
  bias?: boolean;
}
export interface RNNCellOptions extends CellOptions {
  nonlinearity?: 'tanh' | 'relu';
}

const CELL_POSITIONAL = ['bias'] as const;
const RNN_CELL_POSITIONAL = ['bias', 'nonlinearity'] as const;

export class RNNCellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly bias: boolean,
    numChunks: number,
    factory: FactoryOptions = {},
  ) {
    super();
    // RNNCell, LSTMCell and GRUCell have parsed theirs
    if (new.target === RNNCellBase) checkKeywords('RNNCellBase', factory, FACTORY_KEYS);
    this.weight_ih = new Parameter(empty([numChunks * hiddenSize, inputSize], factory));
    this.weight_hh = new Parameter(empty([numChunks * hiddenSize, hiddenSize], factory));
    this.bias_ih = bias ? new Parameter(empty([numChunks * hiddenSize], factory)) : null;
    this.bias_hh = bias ? new Parameter(empty([numChunks * hiddenSize], factory)) : null;
    this.resetParameters();
  }

  /** Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in registration order. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const weight of this.parameters()) init.uniform_(weight, -stdv, stdv);
  }

  /** @internal batches a 1-D input (and its state) for the kernel; says whether it was batched */
  protected batch(input: Tensor): [Tensor, boolean] {
    const dim = input.dim();
    if (dim !== 1 && dim !== 2) throw new TorchError(`${this._getName()}: Expected input to be 1-D or 2-D but received ${dim}-D tensor`);
    return dim === 2 ? [input, true] : [input.unsqueeze(0), false];
  }

  /** @internal the zero state for a batched input */
  protected zeroState(input: Tensor): Tensor {
    return zeros([input.size(0) as number, this.hiddenSize], { dtype: input.dtype, device: input.device });
  }

  /** @internal the kernels' trailing weight arguments */
  protected weights(): (Tensor | null)[] {
    return [this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh];
  }

  extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    return s;
  }
}

/** One Elman step: h' = act(W_ih x + b_ih + W_hh h + b_hh). */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, ...rest: Rest<RNNCellOptions, typeof RNN_CELL_POSITIONAL>) {
    const { bias = true, nonlinearity = 'tanh', ...factory } = parse<RNNCellOptions>('RNNCell', rest, RNN_CELL_POSITIONAL, FACTORY_KEYS);
    super(inputSize, hiddenSize, bias, 1, factory);
    this.nonlinearity = nonlinearity;
  }

  /** forward(input, hx = zeros) -> h' */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this.batch(input);
    const h = hx === null || hx === undefined ? this.zeroState(x) : batched ? hx : hx.unsqueeze(0);
    let kernel;
    if (this.nonlinearity === 'tanh') kernel = op.rnnTanhCell;
    else if (this.nonlinearity === 'relu') kernel = op.rnnReluCell;
    else throw new TorchError(`Unknown nonlinearity: ${String(this.nonlinearity)}`);
    const out = kernel([x, h, ...this.weights()]) as Tensor;
    return batched ? out : out.squeeze(0);
  }

  extraRepr(): string {
    let s = super.extraRepr();
    if (this.nonlinearity !== 'tanh') s += `, nonlinearity=${this.nonlinearity}`;
    return s;
  }
}

/** One LSTM step: [h', c'] from [h, c]. */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, ...rest: Rest<CellOptions, typeof CELL_POSITIONAL>) {
    const { bias = true, ...factory } = parse<CellOptions>('LSTMCell', rest, CELL_POSITIONAL, FACTORY_KEYS);
    super(inputSize, hiddenSize, bias, 4, factory);
  }

  /** forward(input, [h, c] = zeros) -> [h', c'] */
  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [x, batched] = this.batch(input);
    let state: [Tensor, Tensor];
    if (hx === null || hx === undefined) {
      const z = this.zeroState(x);
      state = [z, z];
    } else {
      state = batched ? hx : [hx[0].unsqueeze(0), hx[1].unsqueeze(0)];
    }
    const [h, c] = op.lstmCell([x, state, ...this.weights()]) as [Tensor, Tensor];
    return batched ? [h, c] : [h.squeeze(0), c.squeeze(0)];
  }
}

/** One GRU step: h' from h. */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, ...rest: Rest<CellOptions, typeof CELL_POSITIONAL>) {
    const { bias = true, ...factory } = parse<CellOptions>('GRUCell', rest, CELL_POSITIONAL, FACTORY_KEYS);
    super(inputSize, hiddenSize, bias, 3, factory);
  }

  /** forward(input, hx = zeros) -> h' */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this.batch(input);
    const h = hx === null || hx === undefined ? this.zeroState(x) : batched ? hx : hx.unsqueeze(0);
    const out = op.gruCell([x, h, ...this.weights()]) as Tensor;
    return batched ? out : out.squeeze(0);
  }
}
