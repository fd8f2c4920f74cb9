// torch.ao.nn.quantized.reference RNNCell / LSTMCell / GRUCell / LSTM: the float recurrent layers
// computing with each weight quantized and dequantized. Every weight `w` keeps w_qscheme / w_dtype
// (attributes) and the buffers w_scale / w_zero_point / w_axis, from a weightQparamsDict keyed by
// weight name (weight_ih, weight_hh; weight_ih_l0, ... for LSTM). Python 1.13 gives these classes
// no _IS_REFERENCE: convert() calls their from_float without the dict (a TypeError, as there).
import { AssertionError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { DType, DTypeLike, float32, int32, quint8 } from '../../../tensor/dtype';
import { DeviceLike } from '../../../tensor/device';
import { tensor } from '../../../tensor/create';
import { ArgsOf, signature } from '../../../keywords';
import { Module } from '../../module';
import { Parameter } from '../../parameter';
import * as cells from '../../layers/rnn-cell';
import { LSTM as FloatLSTM, RNNBase } from '../../layers/rnn';
import { QScheme, perChannelAffine, perTensorAffine } from '../../../ao/quantization/qscheme';
import { WeightQparams, quantizeAndDequantizeWeight, quantizeWeight, zeroPointOf } from './utils';
import { requireQparams } from './linear';

/** Weight name -> its qparams (Python's weight_qparams_dict). */
export type WeightQparamsDict = Record<string, WeightQparams>;

const defaultQparams = (): WeightQparams => ({ qscheme: perTensorAffine, dtype: quint8, scale: 1.0, zero_point: 0 });

/** A qparam buffer: torch.tensor(v) of the dtype (a tensor is cloned; `convert` also casts it, as RNNBase's torch.tensor(t, dtype) does). */
function qparamBuffer(v: number | Tensor, dtype: DType, device: DeviceLike | null | undefined, convert: boolean): Tensor {
  if (v instanceof Tensor) return convert ? v.detach().to(dtype).clone() : v.clone().detach();
  return tensor(v, { dtype, device: device ?? undefined });
}

/** Python's _init_weight_qparams_dict (cells: tensors cloned as they are; RNNBase: cast). */
function initWeightQparamsDict(mod: Module, dict: WeightQparamsDict, device: DeviceLike | null | undefined, convert: boolean): void {
  const self = mod as unknown as Record<string, unknown>;
  for (const [key, q] of Object.entries(dict)) {
    self[`${key}_qscheme`] = q.qscheme;
    self[`${key}_dtype`] = q.dtype;
    if (![null, perTensorAffine, perChannelAffine].includes(q.qscheme)) throw new AssertionError(`qscheme: ${String(q.qscheme)} is not support in ${mod._getName()}`);
    if (q.qscheme === null) continue;
    const zp = zeroPointOf(q) as number | Tensor;
    mod.registerBuffer(`${key}_scale`, qparamBuffer(q.scale as number | Tensor, float32, device, convert));
    mod.registerBuffer(`${key}_zero_point`, qparamBuffer(zp, int32, device, convert));
    // per tensor, the axis only keeps every weight's buffers alike
    mod.registerBuffer(`${key}_axis`, qparamBuffer(q.qscheme === perChannelAffine ? (q.axis as number | Tensor) : 0, int32, device, convert));
  }
}

type QparamsOf = [Tensor, QScheme | null, DType, Tensor, Tensor, Tensor];
/** Python's _get_weight_and_quantization_params: the weight and whatever qparams the module has for it. */
function weightAndQparams(mod: Module, wn: string): QparamsOf {
  const self = mod as unknown as Record<string, unknown>;
  const get = (k: string) => (k in self ? self[k] : null);
  return [self[wn], get(`${wn}_qscheme`), get(`${wn}_dtype`), get(`${wn}_scale`), get(`${wn}_zero_point`), get(`${wn}_axis`)] as QparamsOf;
}

/** get_quantized_weight(module, wn): the named weight as a quantized tensor (null when there is none). */
export function getQuantizedWeight(mod: Module, wn: string): Tensor | null {
  if (!(wn in mod)) return null;
  return quantizeWeight(...weightAndQparams(mod, wn));
}

/** The named weight quantized and dequantized (null when there is none). */
export function getQuantizeAndDequantizedWeight(mod: Module, wn: string): Tensor | null {
  if (!(wn in mod)) return null;
  return quantizeAndDequantizeWeight(...weightAndQparams(mod, wn));
}

interface CellRefArgs {
  inputSize: number;
  hiddenSize: number;
  bias?: boolean;
  device?: DeviceLike | null;
  dtype?: DTypeLike | null;
  weightQparamsDict?: WeightQparamsDict | null;
}
const CELL = signature<CellRefArgs>()(['inputSize', 'hiddenSize'], ['bias', 'device', 'dtype', 'weightQparamsDict']);
const RNN_CELL = signature<CellRefArgs & { nonlinearity?: 'tanh' | 'relu' }>()(['inputSize', 'hiddenSize'], ['bias', 'nonlinearity', 'device', 'dtype', 'weightQparamsDict']);

/** The qparams dict of a reference cell: the default one, or the given one (two entries). */
function cellInit(mod: Module, dict: WeightQparamsDict | null | undefined, device: DeviceLike | null | undefined): void {
  const d = dict ?? { weight_ih: defaultQparams(), weight_hh: defaultQparams() };
  if (Object.keys(d).length !== 2) throw new AssertionError('Expected length for weight_qparams_dict to be 2 for QuantizedRNNCellBase(Reference)');
  initWeightQparamsDict(mod, d, device, false);
}

/** What every reference cell adds: the weights as the quantized kernels see them. */
interface CellMembers {
  getQuantizedWeightIh(): Tensor | null;
  getQuantizedWeightHh(): Tensor | null;
  getWeightIh(): Tensor | null;
  getWeightHh(): Tensor | null;
}

function installCellMembers(cls: { prototype: object }, name: string, pyName: string): void {
  Object.assign(cls.prototype, {
    _getName: () => name,
    getQuantizedWeightIh(this: Module) {
      return getQuantizedWeight(this, 'weight_ih');
    },
    getQuantizedWeightHh(this: Module) {
      return getQuantizedWeight(this, 'weight_hh');
    },
    getWeightIh(this: Module) {
      return getQuantizeAndDequantizedWeight(this, 'weight_ih');
    },
    getWeightHh(this: Module) {
      return getQuantizeAndDequantizedWeight(this, 'weight_hh');
    },
    // the float cell's kernels take these: the weights quantized and dequantized
    weights(this: cells.RNNCellBase & CellMembers) {
      return [this.getWeightIh(), this.getWeightHh(), this.bias_ih, this.bias_hh];
    },
    batch(this: Module, input: Tensor): [Tensor, boolean] {
      const dim = input.dim();
      if (dim !== 1 && dim !== 2) throw new AssertionError(`${pyName}: Expected input to be 1-D or 2-D but received ${dim}-D tensor`);
      return dim === 2 ? [input, true] : [input.unsqueeze(0), false];
    },
  });
}

/** The float cell's weights and biases, shared (Python assigns the same Parameters). */
function shareCellWeights<T extends cells.RNNCellBase>(ref: T, mod: cells.RNNCellBase): T {
  ref.weight_ih = mod.weight_ih;
  ref.weight_hh = mod.weight_hh;
  ref.bias_ih = mod.bias_ih;
  ref.bias_hh = mod.bias_hh;
  return ref;
}

export interface RNNCell extends CellMembers {}
export class RNNCell extends cells.RNNCell {
  /** RNNCell(inputSize, hiddenSize, bias = true, nonlinearity = 'tanh', device?, dtype?, weightQparamsDict?), any by name */
  constructor(...args: ArgsOf<typeof RNN_CELL>) {
    const { weightQparamsDict, ...rest } = RNN_CELL.bind('RNNCell', args);
    super(rest);
    cellInit(this, weightQparamsDict, rest.device);
  }

  static fromFloat(mod: Module, weightQparamsDict?: WeightQparamsDict): RNNCell {
    const dict = requireQparams('RNNCell', 'weight_qparams_dict', weightQparamsDict);
    const m = mod as cells.RNNCell;
    return shareCellWeights(new RNNCell(m.inputSize, m.hiddenSize, m.bias, m.nonlinearity, { device: m.weight_ih.device, dtype: m.weight_ih.dtype, weightQparamsDict: dict }), m);
  }
}

export interface LSTMCell extends CellMembers {}
export class LSTMCell extends cells.LSTMCell {
  /** LSTMCell(inputSize, hiddenSize, bias = true, device?, dtype?, weightQparamsDict?), any by name */
  constructor(...args: ArgsOf<typeof CELL>) {
    const { weightQparamsDict, ...rest } = CELL.bind('LSTMCell', args);
    super(rest);
    cellInit(this, weightQparamsDict, rest.device);
  }

  static fromFloat(mod: Module, weightQparamsDict?: WeightQparamsDict): LSTMCell {
    const dict = requireQparams('LSTMCell', 'weight_qparams_dict', weightQparamsDict);
    const m = mod as cells.LSTMCell;
    return shareCellWeights(new LSTMCell(m.inputSize, m.hiddenSize, m.bias, { device: m.weight_ih.device, dtype: m.weight_ih.dtype, weightQparamsDict: dict }), m);
  }
}

export interface GRUCell extends CellMembers {}
export class GRUCell extends cells.GRUCell {
  /** GRUCell(inputSize, hiddenSize, bias = true, device?, dtype?, weightQparamsDict?), any by name */
  constructor(...args: ArgsOf<typeof CELL>) {
    const { weightQparamsDict, ...rest } = CELL.bind('GRUCell', args);
    super(rest);
    cellInit(this, weightQparamsDict, rest.device);
  }

  static fromFloat(mod: Module, weightQparamsDict?: WeightQparamsDict): GRUCell {
    const dict = requireQparams('GRUCell', 'weight_qparams_dict', weightQparamsDict);
    const m = mod as cells.GRUCell;
    return shareCellWeights(new GRUCell(m.inputSize, m.hiddenSize, m.bias, { device: m.weight_ih.device, dtype: m.weight_ih.dtype, weightQparamsDict: dict }), m);
  }
}

installCellMembers(RNNCell, 'QuantizedRNNCell(Reference)', 'RNNCell');
installCellMembers(LSTMCell, 'QuantizedLSTMCell(Reference)', 'LSTMCell');
installCellMembers(GRUCell, 'QuantizedGRUCell(Reference)', 'GRUCell');

interface LSTMRefArgs {
  inputSize: number;
  hiddenSize: number;
  numLayers?: number;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  projSize?: number;
  device?: DeviceLike | null;
  dtype?: DTypeLike | null;
  weightQparamsDict?: WeightQparamsDict | null;
}
const LSTM_SIG = signature<LSTMRefArgs>()(
  ['inputSize', 'hiddenSize'],
  ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'projSize', 'device', 'dtype', 'weightQparamsDict'],
);

export class LSTM extends FloatLSTM {
  /** LSTM(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, projSize = 0, device?, dtype?, weightQparamsDict?), any by name */
  constructor(...args: ArgsOf<typeof LSTM_SIG>) {
    const { weightQparamsDict, ...rest } = LSTM_SIG.bind('LSTM', args);
    super(rest);
    let dict = weightQparamsDict;
    if (dict === null || dict === undefined) {
      dict = {};
      for (const wn of this._flatWeightsNames) if (wn.startsWith('weight')) dict[wn] = defaultQparams();
    }
    initWeightQparamsDict(this, dict, rest.device, true);
  }

  _getName(): string {
    return 'QuantizedLSTM(Reference)';
  }

  /** Flat weight name -> the weight quantized, or the bias as it is (Python's get_quantized_weight_bias_dict). */
  getQuantizedWeightBiasDict(): Record<string, Tensor | null> {
    const out: Record<string, Tensor | null> = {};
    const self = this as unknown as Record<string, Tensor>;
    for (const wn of this._flatWeightsNames) {
      out[wn] = !(wn in this) ? null : wn.startsWith('weight') ? getQuantizedWeight(this, wn) : self[wn];
    }
    return out;
  }

  /** The flat weights as the fused kernel takes them, weights quantized and dequantized. */
  getFlatWeights(): (Tensor | null)[] {
    const self = this as unknown as Record<string, Tensor>;
    return this._flatWeightsNames.map((wn) => (!(wn in this) ? null : wn.startsWith('weight') ? getQuantizeAndDequantizedWeight(this, wn) : self[wn]));
  }

  protected kernelArgs(packed = false): unknown[] {
    const args = super.kernelArgs(packed);
    args[0] = this.getFlatWeights();
    return args;
  }

  /** from_float(mod, weightQparamsDict): mod's settings, its weights shared. */
  static fromFloat(mod: Module, weightQparamsDict?: WeightQparamsDict): LSTM {
    const dict = requireQparams('LSTM', 'weight_qparams_dict', weightQparamsDict);
    const m = mod as RNNBase;
    const ref = new LSTM(m.inputSize, m.hiddenSize, m.numLayers, m.bias, m.batchFirst, m.dropout, m.bidirectional, { weightQparamsDict: dict });
    const self = ref as unknown as Record<string, Parameter>;
    for (const wn of m._flatWeightsNames) self[wn] = (m as unknown as Record<string, Parameter>)[wn];
    return ref;
  }
}
