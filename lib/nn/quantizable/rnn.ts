// torch.ao.nn.quantizable LSTMCell / _LSTMSingleLayer / _LSTMLayer / LSTM (1.13): an LSTM spelled out
// in modules (two Linears per cell, FloatFunctional adds and muls), so eager-mode prepare can attach
// an observer to every intermediate result, and convert can swap each part for its quantized one.
// The same classes run float (observed) and quantized (after convert: nn.quantized.LSTM).
import { AssertionError, NotImplementedError, ValueError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { zeros } from '../../tensor/create';
import { quint8, float32 } from '../../tensor/dtype';
import { DeviceLike } from '../../tensor/device';
import { DTypeLike } from '../../tensor/dtype';
import { sigmoid, stack, tanh, cat } from '../../tensor/functions';
import { quantizePerTensor } from '../../ops/generated/functions';
import { ArgsOf, signature } from '../../keywords';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { ModuleList } from '../containers/module-list';
import { Linear } from '../layers/linear';
import { LSTMCell as FloatLSTMCell } from '../layers/rnn-cell';
import { LSTM as FloatLSTM } from '../layers/rnn';
import { FloatFunctional } from '../quantized/functional-modules';
import { prepareInPlace } from './prepare-lazy';
import type { QConfig } from '../../ao/quantization/qconfig';
import '../../ao/quantization/tensor-methods';

type Factory = { device?: DeviceLike | null; dtype?: DTypeLike | null };
type State = [Tensor, Tensor];
type MaybeState = [Tensor | null, Tensor | null] | null;
type WithQconfig = { qconfig?: QConfig | null };

const CELL = signature<{ inputDim: number; hiddenDim: number; bias?: boolean } & Factory>()(['inputDim', 'hiddenDim'], ['bias', 'device', 'dtype']);

/** One LSTM step as modules: gates = igates(x) + hgates(h), then the usual sigmoid/tanh algebra. */
export class LSTMCell extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  igates: Linear;
  hgates: Linear;
  gates: FloatFunctional;
  fgate_cx: FloatFunctional;
  igate_cgate: FloatFunctional;
  fgate_cx_igate_cgate: FloatFunctional;
  ogate_cy: FloatFunctional;
  declare qconfig?: QConfig | null;
  /** the float class fromFloat takes */
  static _FLOAT_MODULE = FloatLSTMCell;

  /** LSTMCell(inputDim, hiddenDim, bias = true, device?, dtype?), any by name */
  constructor(...args: ArgsOf<typeof CELL>) {
    super();
    const { inputDim, hiddenDim, bias = true, device, dtype } = CELL.bind('LSTMCell', args);
    this.inputSize = inputDim;
    this.hiddenSize = hiddenDim;
    this.bias = bias;
    this.igates = new Linear(inputDim, 4 * hiddenDim, { bias, device, dtype });
    this.hgates = new Linear(hiddenDim, 4 * hiddenDim, { bias, device, dtype });
    this.gates = new FloatFunctional();
    this.fgate_cx = new FloatFunctional();
    this.igate_cgate = new FloatFunctional();
    this.fgate_cx_igate_cgate = new FloatFunctional();
    this.ogate_cy = new FloatFunctional();
  }

  _getName(): string {
    return 'QuantizableLSTMCell';
  }

  /** forward(x, [h, c] = zeros) -> [h', c'] */
  forward(x: Tensor, hidden: MaybeState = null): State {
    if (hidden === null || hidden === undefined || hidden[0] === null || hidden[1] === null) hidden = this.initializeHidden(x.shape[0], x.isQuantized);
    const [hx, cx] = hidden as State;
    const gates = this.gates.add(this.igates(x), this.hgates(hx));
    let [inputGate, forgetGate, cellGate, outGate] = gates.chunk(4, 1);
    inputGate = sigmoid(inputGate);
    forgetGate = sigmoid(forgetGate);
    cellGate = tanh(cellGate);
    outGate = sigmoid(outGate);
    const fgateCx = this.fgate_cx.mul(forgetGate, cx);
    const igateCgate = this.igate_cgate.mul(inputGate, cellGate);
    const cy = this.fgate_cx_igate_cgate.add(fgateCx, igateCgate);
    const hy = this.ogate_cy.mul(outGate, tanh(cy));
    return [hy, cy];
  }

  /** Zero h and c (batch, hidden); quantized (scale 1, zero point 0, quint8) for quantized input. */
  initializeHidden(batchSize: number, isQuantized = false): State {
    let h = zeros([batchSize, this.hiddenSize]);
    let c = zeros([batchSize, this.hiddenSize]);
    if (isQuantized) {
      h = quantizePerTensor(h, 1.0, 0, quint8);
      c = quantizePerTensor(c, 1.0, 0, quint8);
    }
    return [h, c];
  }

  /** from_params(wi, wh, bi?, bh?): a cell using these weights and biases (as new Parameters over them). */
  static fromParams(wi: Tensor, wh: Tensor, bi: Tensor | null = null, bh: Tensor | null = null): LSTMCell {
    if ((bi === null) !== (bh === null)) throw new AssertionError('');
    const cell = new this(wi.shape[1], wh.shape[1], { bias: bi !== null });
    cell.igates.weight = new Parameter(wi);
    if (bi !== null) cell.igates.bias = new Parameter(bi);
    cell.hgates.weight = new Parameter(wh);
    if (bh !== null) cell.hgates.bias = new Parameter(bh);
    return cell;
  }

  /** from_float(nn.LSTMCell with a qconfig): the observed cell over its weights. */
  static fromFloat(other: Module): LSTMCell {
    if (other.constructor !== this._FLOAT_MODULE) throw new AssertionError('');
    if (!('qconfig' in other)) throw new AssertionError("The float module must have 'qconfig'");
    const f = other as FloatLSTMCell & WithQconfig;
    const observed = this.fromParams(f.weight_ih, f.weight_hh, f.bias_ih, f.bias_hh);
    observed.qconfig = f.qconfig;
    (observed.igates as WithQconfig).qconfig = f.qconfig;
    (observed.hgates as WithQconfig).qconfig = f.qconfig;
    return observed;
  }
}

const SINGLE = signature<{ inputDim: number; hiddenDim: number; bias?: boolean } & Factory>()(['inputDim', 'hiddenDim'], ['bias', 'device', 'dtype']);

/** One direction of one layer: the cell run over the sequence (dim 0). */
export class _LSTMSingleLayer extends Module {
  cell: LSTMCell;

  /** _LSTMSingleLayer(inputDim, hiddenDim, bias = true, device?, dtype?) */
  constructor(...args: ArgsOf<typeof SINGLE>) {
    super();
    const { inputDim, hiddenDim, bias = true, device, dtype } = SINGLE.bind('_LSTMSingleLayer', args);
    this.cell = new LSTMCell(inputDim, hiddenDim, bias, { device, dtype });
  }

  /** forward(x, hidden?) -> [outputs stacked over time, the last [h, c]] */
  forward(x: Tensor, hidden: MaybeState = null): [Tensor, State] {
    const result: Tensor[] = [];
    for (const xx of x.unbind(0)) {
      hidden = this.cell(xx, hidden) as State;
      result.push(hidden[0]!);
    }
    return [stack(result, 0), hidden as State];
  }

  static fromParams(wi: Tensor, wh: Tensor, bi: Tensor | null = null, bh: Tensor | null = null): _LSTMSingleLayer {
    const cell = LSTMCell.fromParams(wi, wh, bi, bh);
    const layer = new _LSTMSingleLayer(cell.inputSize, cell.hiddenSize, cell.bias);
    layer.cell = cell;
    return layer;
  }
}

const LAYER = signature<{ inputDim: number; hiddenDim: number; bias?: boolean; batchFirst?: boolean; bidirectional?: boolean } & Factory>()(
  ['inputDim', 'hiddenDim'],
  ['bias', 'batchFirst', 'bidirectional', 'device', 'dtype'],
);

type FloatLSTMLike = FloatLSTM & WithQconfig & Record<string, unknown>;

/** One layer, forward and (bidirectional) backward. */
export class _LSTMLayer extends Module {
  readonly batchFirst: boolean;
  readonly bidirectional: boolean;
  layer_fw: _LSTMSingleLayer;
  declare layer_bw?: _LSTMSingleLayer;
  declare qconfig?: QConfig | null;

  /** _LSTMLayer(inputDim, hiddenDim, bias = true, batchFirst = false, bidirectional = false, device?, dtype?) */
  constructor(...args: ArgsOf<typeof LAYER>) {
    super();
    const { inputDim, hiddenDim, bias = true, batchFirst = false, bidirectional = false, device, dtype } = LAYER.bind('_LSTMLayer', args);
    this.batchFirst = batchFirst;
    this.bidirectional = bidirectional;
    this.layer_fw = new _LSTMSingleLayer(inputDim, hiddenDim, bias, { device, dtype });
    if (bidirectional) this.layer_bw = new _LSTMSingleLayer(inputDim, hiddenDim, bias, { device, dtype });
  }

  /** forward(x, [h, c]?) -> [output, [h, c]]; bidirectional states are stacked [forward, backward] */
  forward(x: Tensor, hidden: MaybeState = null): [Tensor, MaybeState] {
    if (this.batchFirst) x = x.transpose(0, 1);
    let [hxFw, cxFw]: (Tensor | null)[] = hidden ?? [null, null];
    let hiddenBw: State | null = null;
    if (this.bidirectional) {
      const hxBw = hxFw === null ? null : hxFw.select(0, 1);
      if (hxFw !== null) hxFw = hxFw.select(0, 0);
      const cxBw = cxFw === null ? null : cxFw.select(0, 1);
      if (cxFw !== null) cxFw = cxFw.select(0, 0);
      if (hxBw !== null && cxBw !== null) hiddenBw = [hxBw, cxBw];
    }
    const hiddenFwIn: MaybeState = hxFw === null && cxFw === null ? null : [hxFw, cxFw];
    const [resultFw, hiddenFw] = this.layer_fw(x, hiddenFwIn) as [Tensor, State];
    let result: Tensor;
    let h: Tensor;
    let c: Tensor;
    if (this.layer_bw !== undefined && this.bidirectional) {
      const [resultBwRev, hBw] = this.layer_bw(x.flip(0), hiddenBw) as [Tensor, State];
      const resultBw = resultBwRev.flip(0);
      result = cat([resultFw, resultBw], resultFw.dim() - 1);
      h = stack([hiddenFw[0], hBw[0]], 0);
      c = stack([hiddenFw[1], hBw[1]], 0);
    } else {
      result = resultFw;
      [h, c] = hiddenFw;
    }
    if (this.batchFirst) result = result.transpose(0, 1);
    return [result, [h, c]];
  }

  /**
   * from_float(other, layerIdx = 0, qconfig = null, { inputSize, hiddenSize, bias, batchFirst, bidirectional }):
   * layer `layerIdx` of a float nn.LSTM, its weights shared (no float class of its own: this is prepare's step).
   */
  static fromFloat(other: Module, layerIdx = 0, qconfig: QConfig | null = null, overrides: { inputSize?: number; hiddenSize?: number; bias?: boolean; batchFirst?: boolean; bidirectional?: boolean } = {}): _LSTMLayer {
    const o = other as FloatLSTMLike;
    if (!('qconfig' in other) && qconfig === null) throw new AssertionError('');
    const layer = new _LSTMLayer(
      overrides.inputSize ?? o.inputSize, overrides.hiddenSize ?? o.hiddenSize, overrides.bias ?? o.bias,
      overrides.batchFirst ?? o.batchFirst, overrides.bidirectional ?? o.bidirectional,
    );
    layer.qconfig = 'qconfig' in other ? o.qconfig : qconfig;
    const param = (name: string) => (name in o ? (o[name] as Tensor | null) : null);
    const sfx = (s: string) => `_l${layerIdx}${s}`;
    layer.layer_fw = _LSTMSingleLayer.fromParams(o[`weight_ih${sfx('')}`] as Tensor, o[`weight_hh${sfx('')}`] as Tensor, param(`bias_ih${sfx('')}`), param(`bias_hh${sfx('')}`));
    if (o.bidirectional) {
      const r = sfx('_reverse');
      layer.layer_bw = _LSTMSingleLayer.fromParams(o[`weight_ih${r}`] as Tensor, o[`weight_hh${r}`] as Tensor, param(`bias_ih${r}`), param(`bias_hh${r}`));
    }
    return layer;
  }
}

const LSTM_SIG = signature<{
  inputSize: number; hiddenSize: number; numLayers?: number; bias?: boolean; batchFirst?: boolean; dropout?: number; bidirectional?: boolean;
} & Factory>()(['inputSize', 'hiddenSize'], ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'device', 'dtype']);

/** The quantizable LSTM: a ModuleList of _LSTMLayer (weights per layer: layers[i].layer_fw.cell.igates.weight). */
export class LSTM extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  layers: ModuleList;
  declare qconfig?: QConfig | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static _FLOAT_MODULE: abstract new (...args: any[]) => Module = FloatLSTM;

  /** LSTM(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, device?, dtype?), any by name */
  constructor(...args: ArgsOf<typeof LSTM_SIG>) {
    super();
    const { inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, device, dtype } = LSTM_SIG.bind('LSTM', args);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = Number(dropout);
    this.bidirectional = bidirectional;
    // not meant for training: prepare a float nn.LSTM instead
    this.training = false;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new ValueError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    if (dropout > 0) {
      warn('dropout option for quantizable LSTM is ignored. If you are training, please, use nn.LSTM version followed by `prepare` step.');
      if (numLayers === 1) {
        warn(`dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${dropout} and num_layers=${numLayers}`);
      }
    }
    const layers = [new _LSTMLayer(inputSize, hiddenSize, bias, { batchFirst: false, bidirectional, device, dtype })];
    for (let i = 1; i < numLayers; i++) layers.push(new _LSTMLayer(hiddenSize, hiddenSize, bias, { batchFirst: false, bidirectional, device, dtype }));
    this.layers = new ModuleList(layers);
  }

  _getName(): string {
    return 'QuantizableLSTM';
  }

  /**
   * forward(x, [h0, c0]?) -> [output, [h_n, c_n]]; h0/c0 (layers * directions, batch, hidden) or a list
   * of per-layer [h, c]; zero states are quantized (scale 1, zero point 0) for quantized input.
   */
  forward(x: Tensor, hidden: [Tensor, Tensor] | MaybeState[] | null = null): [Tensor, State] {
    if (this.batchFirst) x = x.transpose(0, 1);
    const batch = x.size(1) as number;
    const directions = this.bidirectional ? 2 : 1;
    let hxcx: MaybeState[];
    if (hidden === null || hidden === undefined) {
      let z = zeros([directions, batch, this.hiddenSize], { dtype: float32, device: x.device }).squeeze(0);
      if (x.isQuantized) z = quantizePerTensor(z, 1.0, 0, x.dtype);
      hxcx = Array.from({ length: this.numLayers }, () => [z, z] as State);
    } else if (hidden[0] instanceof Tensor) {
      const [h0, c0] = hidden as [Tensor, Tensor];
      const hx = h0.reshape(this.numLayers, directions, batch, this.hiddenSize).unbind(0);
      const cx = c0.reshape(this.numLayers, directions, batch, this.hiddenSize).unbind(0);
      hxcx = hx.map((h, i) => [h.squeeze(0), cx[i].squeeze(0)] as State);
    } else {
      hxcx = hidden as MaybeState[];
    }
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    [...this.layers].forEach((layer, i) => {
      const [y, state] = layer(x, hxcx[i]) as [Tensor, State];
      x = y;
      hs.push(state[0]);
      cs.push(state[1]);
    });
    let h = stack(hs);
    let c = stack(cs);
    // bidirectional states carry a direction dim: fold it into the layer dim
    h = h.reshape(-1, h.shape[h.dim() - 2], h.shape[h.dim() - 1]);
    c = c.reshape(-1, c.shape[c.dim() - 2], c.shape[c.dim() - 1]);
    if (this.batchFirst) x = x.transpose(0, 1);
    return [x, [h, c]];
  }

  /** from_float(nn.LSTM with a qconfig, qconfig?): the observed LSTM over its weights, prepared (observers attached). */
  static fromFloat(other: Module, qconfig: QConfig | null = null): LSTM {
    if (!(other instanceof this._FLOAT_MODULE)) throw new AssertionError('');
    const o = other as FloatLSTMLike;
    if (!('qconfig' in other) && !qconfig) throw new AssertionError('');
    const observed = new this(o.inputSize, o.hiddenSize, o.numLayers, o.bias, o.batchFirst, o.dropout, o.bidirectional);
    observed.qconfig = 'qconfig' in other ? o.qconfig : qconfig;
    for (let i = 0; i < o.numLayers; i++) observed.layers[i] = _LSTMLayer.fromFloat(other, i, qconfig, { batchFirst: false });
    observed.eval();
    return prepareInPlace(observed);
  }

  /** The observed module is made from a float one; converting it is nn.quantized.LSTM's job. */
  static fromObserved(_other: Module): Module {
    throw new NotImplementedError('It looks like you are trying to convert a non-quantizable LSTM module. Please, see the examples on quantizable LSTMs.');
  }
}
