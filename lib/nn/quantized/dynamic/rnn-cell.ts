// torch.ao.nn.quantized.dynamic RNNCell, LSTMCell, GRUCell: one step of a recurrent layer whose
// input and hidden weights are packed (qint8 with activations quantized per call, or float16);
// forward is libtorch's quantized::quantized_{rnn_tanh,rnn_relu,lstm,gru}_cell_dynamic.
import { AssertionError, TorchError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { randn, zeros } from '../../../tensor/create';
import { DType, DTypeLike, float32, qint8, toDType } from '../../../tensor/dtype';
import { quantizePerTensor } from '../../../ops/generated/functions';
import { Module, StateDict, LocalMetadata } from '../../module';
import { ArgsOf, signature } from '../../../keywords';
import { pyBool } from '../../../py-format';
import { LSTMCell as FloatLSTMCell, GRUCell as FloatGRUCell, RNNCell as FloatRNNCell } from '../../layers/rnn-cell';
import { PackedParams, qop } from '../ops';
import { packWeightBias, unpackWeightBias } from './cell-params';
import { linearPackedObject, linearPackedState } from './script-object';
import { checkDynamicRNNDtype, observeAndQuantize, weightObserverFactory } from './from-float';

interface CellBaseArgs {
  inputSize: number;
  hiddenSize: number;
  bias?: boolean;
  numChunks?: number;
  dtype?: DTypeLike;
}
interface RNNCellArgs {
  inputSize: number;
  hiddenSize: number;
  bias?: boolean;
  nonlinearity?: 'tanh' | 'relu';
  dtype?: DTypeLike;
}
interface GatedCellArgs {
  inputSize: number;
  hiddenSize: number;
  bias?: boolean;
  dtype?: DTypeLike;
}
const CELL_BASE = signature<CellBaseArgs>()(['inputSize', 'hiddenSize'], ['bias', 'numChunks', 'dtype']);
const RNN_CELL = signature<RNNCellArgs>()(['inputSize', 'hiddenSize'], ['bias', 'nonlinearity', 'dtype']);
const GRU_CELL = signature<GatedCellArgs>()(['inputSize', 'hiddenSize'], ['bias', 'dtype']);
// Python's LSTMCell passes num_chunks to the base by name, so dtype comes by name only
const LSTM_CELL = signature<GatedCellArgs>()(['inputSize', 'hiddenSize'], ['bias'], ['dtype']);

/** Python's _weight_bias() of a cell. */
export interface CellWeightBias {
  weight: { weight_ih: Tensor; weight_hh: Tensor };
  bias: { bias_ih: Tensor | null; bias_hh: Tensor | null };
}

export class RNNCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  readonly weightDtype: DType;
  /** random biases drawn at construction; the packed weights carry the ones forward uses */
  bias_ih: Tensor | null;
  bias_hh: Tensor | null;
  _packed_weight_ih: PackedParams;
  _packed_weight_hh: PackedParams;

  /** RNNCellBase(inputSize, hiddenSize, bias = true, numChunks = 4, dtype = torch.qint8), any by name */
  constructor(...args: ArgsOf<typeof CELL_BASE>) {
    super();
    const { inputSize, hiddenSize, bias = true, numChunks = 4, dtype = qint8 } = CELL_BASE.bind('RNNCellBase', args);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = bias;
    this.weightDtype = toDType(dtype);
    // the same torch.randn calls as Python, so the RNG moves alike
    this.bias_ih = bias ? randn([numChunks * hiddenSize]).to(float32) : null;
    this.bias_hh = bias ? randn([numChunks * hiddenSize]).to(float32) : null;
    let wIh = randn([numChunks * hiddenSize, inputSize]).to(float32);
    let wHh = randn([numChunks * hiddenSize, hiddenSize]).to(float32);
    if (this.weightDtype === qint8) {
      wIh = quantizePerTensor(wIh, 1, 0, qint8);
      wHh = quantizePerTensor(wHh, 1, 0, qint8);
    }
    this._packed_weight_ih = packWeightBias(wIh, this.bias_ih, this.weightDtype);
    this._packed_weight_hh = packWeightBias(wHh, this.bias_hh, this.weightDtype);
  }

  _getName(): string {
    return 'DynamicQuantizedRNNBase';
  }

  extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    const nonlinearity = (this as { nonlinearity?: string }).nonlinearity;
    if (nonlinearity !== undefined && nonlinearity !== 'tanh') s += `, nonlinearity=${nonlinearity}`;
    return s;
  }

  protected checkForwardInput(input: Tensor): void {
    if (input.size(1) !== this.inputSize) throw new TorchError(`input has inconsistent input_size: got ${input.size(1)}, expected ${this.inputSize}`);
  }

  protected checkForwardHidden(input: Tensor, hx: Tensor, label = ''): void {
    if (input.size(0) !== hx.size(0)) throw new TorchError(`Input batch size ${input.size(0)} doesn't match hidden${label} batch size ${hx.size(0)}`);
    if (hx.size(1) !== this.hiddenSize) throw new TorchError(`hidden${label} has inconsistent hidden_size: got ${hx.size(1)}, expected ${this.hiddenSize}`);
  }

  protected zeroHidden(input: Tensor): Tensor {
    return zeros([input.size(0) as number, this.hiddenSize], { dtype: input.dtype, device: input.device });
  }

  /** Python's _weight_bias(): the packed weights and biases, unpacked. */
  _weightBias(): CellWeightBias {
    const [wIh, bIh] = unpackWeightBias(this._packed_weight_ih, this.weightDtype);
    const [wHh, bHh] = unpackWeightBias(this._packed_weight_hh, this.weightDtype);
    return { weight: { weight_ih: wIh, weight_hh: wHh }, bias: { bias_ih: bIh, bias_hh: bHh } };
  }

  getWeight(): CellWeightBias['weight'] {
    return this._weightBias().weight;
  }

  getBias(): CellWeightBias['bias'] {
    return this._weightBias().bias;
  }

  setWeightBias(weightBiasDict: CellWeightBias): void {
    this._packed_weight_ih = packWeightBias(weightBiasDict.weight.weight_ih, weightBiasDict.bias.bias_ih, this.weightDtype);
    this._packed_weight_hh = packWeightBias(weightBiasDict.weight.weight_hh, weightBiasDict.bias.bias_hh, this.weightDtype);
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    const { weight, bias } = this._weightBias();
    const entries = dest as Record<string, unknown>;
    entries[prefix + '_packed_weight_ih'] = linearPackedObject(weight.weight_ih, bias.bias_ih);
    entries[prefix + '_packed_weight_hh'] = linearPackedObject(weight.weight_hh, bias.bias_hh);
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: LocalMetadata = {},
  ): void {
    const take = (key: string): PackedParams => {
      if (!stateDict.has(prefix + key)) throw new TorchError(`KeyError: '${prefix + key}'`);
      const [w, b] = linearPackedState(stateDict.get(prefix + key), prefix + key);
      stateDict.delete(prefix + key);
      return packWeightBias(w, b, w.dtype === qint8 ? qint8 : this.weightDtype);
    };
    this._packed_weight_ih = take('_packed_weight_ih');
    this._packed_weight_hh = take('_packed_weight_hh');
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }

  /** Python's RNNCellBase.from_float: nn.LSTMCell / GRUCell / RNNCell with qint8 (observed) or float16 weights. */
  static fromFloat(mod: Module): RNNCellBase {
    const cls = mod.constructor;
    if (cls !== FloatLSTMCell && cls !== FloatGRUCell && cls !== FloatRNNCell) {
      throw new AssertionError('nn.quantized.dynamic.RNNCellBase.from_float                                  only works for nn.LSTMCell, nn.GRUCell and nn.RNNCell');
    }
    const makeObserver = weightObserverFactory(mod);
    const dtype = makeObserver().dtype;
    checkDynamicRNNDtype(dtype);
    const float = mod as FloatLSTMCell | FloatGRUCell | FloatRNNCell;
    let q: RNNCellBase;
    if (float instanceof FloatLSTMCell) q = new LSTMCell(float.inputSize, float.hiddenSize, { bias: float.bias, dtype });
    else if (float instanceof FloatGRUCell) q = new GRUCell(float.inputSize, float.hiddenSize, { bias: float.bias, dtype });
    else q = new RNNCell(float.inputSize, float.hiddenSize, { bias: float.bias, nonlinearity: (float as FloatRNNCell).nonlinearity, dtype });
    if (!float.bias) throw new AssertionError();
    q._packed_weight_ih = packWeightBias(observeAndQuantize(float.weight_ih, dtype, makeObserver), float.bias_ih, dtype);
    q._packed_weight_hh = packWeightBias(observeAndQuantize(float.weight_hh, dtype, makeObserver), float.bias_hh, dtype);
    return q;
  }
}

export class RNNCell extends RNNCellBase {
  readonly nonlinearity: 'tanh' | 'relu';

  /** RNNCell(inputSize, hiddenSize, bias = true, nonlinearity = 'tanh', dtype = torch.qint8), any by name */
  constructor(...args: ArgsOf<typeof RNN_CELL>) {
    const { inputSize, hiddenSize, bias = true, nonlinearity = 'tanh', dtype = qint8 } = RNN_CELL.bind('RNNCell', args);
    super(inputSize, hiddenSize, bias, 1, dtype);
    this.nonlinearity = nonlinearity;
  }

  _getName(): string {
    return 'DynamicQuantizedRNNCell';
  }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    this.checkForwardInput(input);
    const h = hx ?? this.zeroHidden(input);
    this.checkForwardHidden(input, h, '');
    if (this.nonlinearity !== 'tanh' && this.nonlinearity !== 'relu') throw new TorchError(`Unknown nonlinearity: ${this.nonlinearity}`);
    const op = this.nonlinearity === 'tanh' ? 'quantized::quantized_rnn_tanh_cell_dynamic' : 'quantized::quantized_rnn_relu_cell_dynamic';
    return qop(op, input, h, this._packed_weight_ih, this._packed_weight_hh, this.bias_ih, this.bias_hh);
  }

  static fromFloat(mod: Module): RNNCell {
    return RNNCellBase.fromFloat(mod) as RNNCell;
  }
}

export class LSTMCell extends RNNCellBase {
  /** LSTMCell(inputSize, hiddenSize, bias = true, { dtype = torch.qint8 }) */
  constructor(...args: ArgsOf<typeof LSTM_CELL>) {
    const { inputSize, hiddenSize, bias = true, dtype = qint8 } = LSTM_CELL.bind('LSTMCell', args);
    super(inputSize, hiddenSize, bias, 4, dtype);
  }

  _getName(): string {
    return 'DynamicQuantizedLSTMCell';
  }

  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    this.checkForwardInput(input);
    let state = hx;
    if (state === null || state === undefined) {
      const z = this.zeroHidden(input);
      state = [z, z];
    }
    this.checkForwardHidden(input, state[0], '[0]');
    this.checkForwardHidden(input, state[1], '[1]');
    return qop<[Tensor, Tensor]>('quantized::quantized_lstm_cell_dynamic', input, state, this._packed_weight_ih, this._packed_weight_hh, this.bias_ih, this.bias_hh);
  }

  static fromFloat(mod: Module): LSTMCell {
    return RNNCellBase.fromFloat(mod) as LSTMCell;
  }
}

export class GRUCell extends RNNCellBase {
  /** GRUCell(inputSize, hiddenSize, bias = true, dtype = torch.qint8), any by name */
  constructor(...args: ArgsOf<typeof GRU_CELL>) {
    const { inputSize, hiddenSize, bias = true, dtype = qint8 } = GRU_CELL.bind('GRUCell', args);
    super(inputSize, hiddenSize, bias, 3, dtype);
  }

  _getName(): string {
    return 'DynamicQuantizedGRUCell';
  }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    this.checkForwardInput(input);
    const h = hx ?? this.zeroHidden(input);
    this.checkForwardHidden(input, h, '');
    return qop('quantized::quantized_gru_cell_dynamic', input, h, this._packed_weight_ih, this._packed_weight_hh, this.bias_ih, this.bias_hh);
  }

  static fromFloat(mod: Module): GRUCell {
    return RNNCellBase.fromFloat(mod) as GRUCell;
  }
}
