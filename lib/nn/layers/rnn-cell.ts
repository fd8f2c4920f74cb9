// nn.RNNCell, nn.LSTMCell, nn.GRUCell (torch/nn/modules/rnn.py, 1.13): one time step, over the
// ATen cell kernels (rnn_tanh_cell / rnn_relu_cell / lstm_cell / gru_cell); 1-D input is unbatched.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty, zeros } from '../../tensor/create';
import { aten } from '../../tensor/aten';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { ArgsOf, signature } from '../../keywords';
import { FACTORY_KEYS, type FactoryOptions } from './linear';
import { pyBool } from '../../py-format';

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

/** LSTMCell's and GRUCell's parameters by name: (input_size, hidden_size, bias=True). */
export interface CellArgs extends CellOptions {
  inputSize: number;
  hiddenSize: number;
}
/** RNNCell's parameters by name: RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh'). */
export interface RNNCellArgs extends RNNCellOptions {
  inputSize: number;
  hiddenSize: number;
}
/** RNNCellBase's parameters by name: RNNCellBase(input_size, hidden_size, bias, num_chunks). */
export interface RNNCellBaseArgs extends FactoryOptions {
  inputSize: number;
  hiddenSize: number;
  bias: boolean;
  numChunks: number;
}
const CELL = signature<CellArgs>()(['inputSize', 'hiddenSize'], ['bias', ...FACTORY_KEYS]);
const RNN_CELL = signature<RNNCellArgs>()(['inputSize', 'hiddenSize'], ['bias', 'nonlinearity', ...FACTORY_KEYS]);
const CELL_BASE = signature<RNNCellBaseArgs>()(['inputSize', 'hiddenSize', 'bias', 'numChunks'], [...FACTORY_KEYS]);

export class RNNCellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;

  /** RNNCellBase(inputSize, hiddenSize, bias, numChunks, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof CELL_BASE>) {
    super();
    // RNNCell, LSTMCell and GRUCell pass theirs bound, by name
    const { inputSize, hiddenSize, bias, numChunks, ...factory } = CELL_BASE.bind('RNNCellBase', args);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = bias;
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

  /** RNNCell(inputSize, hiddenSize, bias = true, nonlinearity = 'tanh', { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof RNN_CELL>) {
    const { bias = true, nonlinearity = 'tanh', ...rest } = RNN_CELL.bind('RNNCell', args);
    super({ ...rest, bias, numChunks: 1 });
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
  /** LSTMCell(inputSize, hiddenSize, bias = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof CELL>) {
    const { bias = true, ...rest } = CELL.bind('LSTMCell', args);
    super({ ...rest, bias, numChunks: 4 });
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
  /** GRUCell(inputSize, hiddenSize, bias = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof CELL>) {
    const { bias = true, ...rest } = CELL.bind('GRUCell', args);
    super({ ...rest, bias, numChunks: 3 });
  }

  /** forward(input, hx = zeros) -> h' */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this.batch(input);
    const h = hx === null || hx === undefined ? this.zeroState(x) : batched ? hx : hx.unsqueeze(0);
    const out = op.gruCell([x, h, ...this.weights()]) as Tensor;
    return batched ? out : out.squeeze(0);
  }
}
