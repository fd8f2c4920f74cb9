// torch.ao.nn.quantized.dynamic LSTM and GRU (DynamicQuantizedLSTM / DynamicQuantizedGRU): float in,
// float out, the weights of each layer and direction packed as qint8 (activations quantized on the
// fly) or float16. The packed cells sit in `_all_weight_values` as Python keeps them; the forward
// is torch.quantized_lstm / quantized_gru's recurrence (rnn-scan.ts).
import { AssertionError, TorchError, ValueError, warn } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { randn, zeros } from '../../../tensor/create';
import { stack } from '../../../tensor/functions';
import { DType, DTypeLike, float16, float32, qint8, toDType } from '../../../tensor/dtype';
import { quantizePerTensor } from '../../../ops/generated/functions';
import { Module, LocalMetadata } from '../../module';
import { ModuleList } from '../../containers/module-list';
import { moduleRepr } from '../../repr';
import { ArgsOf, signature } from '../../../keywords';
import { pyBool, pyFloat } from '../../../py-format';
import { PackedSequence } from '../../utils/rnn';
import { LSTM as FloatLSTM, GRU as FloatGRU } from '../../layers/rnn';
import { CellParams, packWeightBias } from './cell-params';
import { PackedParameter } from './packed-parameter';
import { checkDynamicRNNDtype, observeAndQuantize, weightObserverFactory } from './from-float';
import { Cell, Hidden, LSTMState, applyLayerStack, gruCell, lstmCell } from './rnn-scan';

export type DynamicRNNMode = 'LSTM' | 'GRU';

export interface DynamicRNNOptions {
  numLayers?: number;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  dtype?: DTypeLike;
}
export interface DynamicRNNArgs extends DynamicRNNOptions {
  inputSize: number;
  hiddenSize: number;
}
const OPTIONAL = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'dtype'] as const;
const RNN_SIG = signature<DynamicRNNArgs>()(['inputSize', 'hiddenSize'], OPTIONAL);

/** Python's dict of per-layer weights and biases (weight_ih_l0, bias_hh_l1_reverse, ...). */
export interface WeightBiasDict {
  weight: Record<string, Tensor>;
  bias: Record<string, Tensor | null>;
}

const GATES: Record<DynamicRNNMode, number> = { LSTM: 4, GRU: 3 };
const suffixOf = (layer: number, direction: number): string => `_l${layer}${direction === 1 ? '_reverse' : ''}`;

export abstract class RNNBase extends Module {
  readonly mode: DynamicRNNMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly dtype: DType;
  /** the state_dict format version (Python's self.version): 2 packs with reduce_range */
  version: number | undefined = 2;
  _all_weight_values: ModuleList<PackedParameter>;

  constructor(mode: DynamicRNNMode, name: string, args: ArgsOf<typeof RNN_SIG>) {
    super();
    const o = RNN_SIG.bind(name, args);
    const { inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false } = o;
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    this.dtype = toDType(o.dtype ?? qint8);
    this.training = false;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new ValueError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    if (dropout > 0 && numLayers === 1) {
      warn(`dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${pyFloat(dropout)} and num_layers=${numLayers}`);
    }
    // random weights as Python draws them (the same torch.randn calls, so the RNG moves alike)
    const gateSize = GATES[mode] * hiddenSize;
    const cells: PackedParameter[] = [];
    for (let layer = 0; layer < numLayers; layer++) {
      for (let direction = 0; direction < this.numDirections; direction++) {
        const layerInput = layer === 0 ? inputSize : hiddenSize * this.numDirections;
        let wIh = randn([gateSize, layerInput]).to(float32);
        let wHh = randn([gateSize, hiddenSize]).to(float32);
        const bIh = randn([gateSize]).to(float32);
        const bHh = randn([gateSize]).to(float32);
        if (this.dtype === qint8) {
          wIh = quantizePerTensor(wIh, 0.1, 0, qint8);
          wHh = quantizePerTensor(wHh, 0.1, 0, qint8);
        }
        cells.push(new PackedParameter(CellParams.pack(wIh, wHh, bIh, bHh, this.dtype, this.version)));
      }
    }
    this._all_weight_values = new ModuleList<PackedParameter>(cells);
  }

  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  _getName(): string {
    return 'DynamicQuantizedRNN';
  }

  extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    if (this.batchFirst !== false) s += `, batch_first=${pyBool(this.batchFirst)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional !== false) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }

  /** Python's __repr__: the packed cells and their ModuleList are not printed. */
  toString(): string {
    const children = this._ownModules().filter(([, m]) => !(m instanceof PackedParameter || m instanceof ModuleList));
    return moduleRepr(this._getName(), this.extraRepr(), children);
  }

  protected checkInput(input: Tensor, batchSizes: Tensor | null): void {
    const expectedDim = batchSizes !== null ? 2 : 3;
    if (input.dim() !== expectedDim) throw new TorchError(`input must have ${expectedDim} dimensions, got ${input.dim()}`);
    if (this.inputSize !== input.size(-1)) {
      throw new TorchError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.size(-1)}`);
    }
  }

  protected expectedHiddenSize(input: Tensor, batchSizes: Tensor | null): number[] {
    const miniBatch = batchSizes !== null ? Number(batchSizes.select(0, 0).item()) : (input.size(this.batchFirst ? 0 : 1) as number);
    return [this.numLayers * this.numDirections, miniBatch, this.hiddenSize];
  }

  protected checkHiddenSize(hx: Tensor, expected: number[], msg: string): void {
    const shape = hx.shape;
    if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
      throw new TorchError(msg.replace('{}', `(${expected.join(', ')})`).replace('{}', `[${shape.join(', ')}]`));
    }
  }

  /** The recurrence over all layers, for a tensor (batchSizes null) or a packed sequence's data. */
  protected runStack<H extends Hidden>(cell: Cell<H>, input: Tensor, hiddens: H[], batchSizes: Tensor | null): { output: Tensor; hiddens: H[] } {
    const params = [...this._all_weight_values].map((m) => m.param);
    const timeMajor = batchSizes === null && this.batchFirst;
    const r = applyLayerStack(cell, timeMajor ? input.transpose(0, 1) : input, hiddens, params, {
      numLayers: this.numLayers,
      dropout: this.dropout,
      train: this.training,
      bidirectional: this.bidirectional,
      batchSizes: batchSizes === null ? null : (batchSizes.tolist() as number[]),
    });
    return { output: timeMajor ? r.output.transpose(0, 1) : r.output, hiddens: r.hiddens };
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: LocalMetadata = {},
  ): void {
    this.version = localMetadata.version as number | undefined;
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }

  /** Python's _weight_bias(): every layer's and direction's weights and biases, unpacked. */
  _weightBias(): WeightBiasDict {
    const out: WeightBiasDict = { weight: {}, bias: {} };
    let count = 0;
    const cells = [...this._all_weight_values];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let direction = 0; direction < this.numDirections; direction++) {
        const suffix = suffixOf(layer, direction);
        const [[wIh, bIh], [wHh, bHh]] = cells[count++].param.weightBias();
        out.weight[`weight_ih${suffix}`] = wIh;
        out.weight[`weight_hh${suffix}`] = wHh;
        out.bias[`bias_ih${suffix}`] = bIh;
        out.bias[`bias_hh${suffix}`] = bHh;
      }
    }
    return out;
  }

  getWeight(): Record<string, Tensor> {
    return this._weightBias().weight;
  }

  getBias(): Record<string, Tensor | null> {
    return this._weightBias().bias;
  }

  /** Python's set_weight_bias: repacks from a flat { weight_ih_l0, bias_ih_l0, ... } dict. */
  setWeightBias(weightBiasDict: Record<string, Tensor | null>): void {
    const cells: PackedParameter[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let direction = 0; direction < this.numDirections; direction++) {
        const suffix = suffixOf(layer, direction);
        const get = (name: string): Tensor | null => {
          if (!(name in weightBiasDict)) throw new TorchError(`KeyError: '${name}'`);
          return weightBiasDict[name];
        };
        const wIh = get(`weight_ih${suffix}`) as Tensor;
        const bIh = get(`bias_ih${suffix}`);
        const wHh = get(`weight_hh${suffix}`) as Tensor;
        const bHh = get(`bias_hh${suffix}`);
        cells.push(new PackedParameter(CellParams.pack(wIh, wHh, bIh, bHh, wIh.dtype === qint8 ? qint8 : float16, this.version)));
      }
    }
    this._all_weight_values = new ModuleList<PackedParameter>(cells);
  }

  /** Python's RNNBase.from_float: nn.LSTM / nn.GRU with qint8 (observed) or float16 weights. */
  static fromFloat(mod: Module): RNNBase {
    if (mod.constructor !== FloatLSTM && mod.constructor !== FloatGRU) {
      throw new AssertionError('nn.quantized.dynamic.RNNBase.from_float only works for nn.LSTM and nn.GRU');
    }
    const makeObserver = weightObserverFactory(mod);
    const dtype = makeObserver().dtype;
    checkDynamicRNNDtype(dtype);
    const float = mod as FloatLSTM | FloatGRU;
    const Cls = float instanceof FloatLSTM ? LSTM : GRU;
    const q: RNNBase = new Cls(float.inputSize, float.hiddenSize, float.numLayers, float.bias, float.batchFirst, float.dropout, float.bidirectional, dtype);
    if (!float.bias) throw new AssertionError();
    const params = float as unknown as Record<string, Tensor>;
    const cells: PackedParameter[] = [];
    for (let layer = 0; layer < q.numLayers; layer++) {
      for (let direction = 0; direction < q.numDirections; direction++) {
        const suffix = suffixOf(layer, direction);
        const [bIh, bHh] = [params[`bias_ih${suffix}`], params[`bias_hh${suffix}`]];
        const packedIh = packWeightBias(observeAndQuantize(params[`weight_ih${suffix}`], dtype, makeObserver), bIh, dtype);
        const packedHh = packWeightBias(observeAndQuantize(params[`weight_hh${suffix}`], dtype, makeObserver), bHh, dtype);
        const cell = dtype === qint8 ? CellParams.dynamic(packedIh, packedHh, bIh, bHh, q.version !== undefined && q.version >= 2) : CellParams.fp16(packedIh, packedHh, dtype);
        cells.push(new PackedParameter(cell));
      }
    }
    q._all_weight_values = new ModuleList<PackedParameter>(cells);
    return q;
  }
}
RNNBase.prototype._version = 2;

/** Python's forward_packed / forward_tensor split: the packed input's parts, or the tensor's. */
function unpack(input: Tensor | PackedSequence, batchFirst: boolean): { data: Tensor; batchSizes: Tensor | null; maxBatch: number; sorted: Tensor | null; unsorted: Tensor | null } {
  if (input instanceof PackedSequence) {
    const { data, batchSizes, sortedIndices, unsortedIndices } = input;
    return { data, batchSizes, maxBatch: Number(batchSizes.select(0, 0).item()), sorted: sortedIndices, unsorted: unsortedIndices };
  }
  return { data: input, batchSizes: null, maxBatch: input.size(batchFirst ? 0 : 1) as number, sorted: null, unsorted: null };
}

const stackOf = (states: LSTMState[], i: 0 | 1): Tensor => stack(states.map((s) => s[i]), 0);
const permute = (hx: Tensor, permutation: Tensor | null): Tensor => (permutation === null ? hx : hx.indexSelect(1, permutation));

export class LSTM extends RNNBase {
  /** LSTM(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, dtype = torch.qint8), any by name */
  constructor(...args: ArgsOf<typeof RNN_SIG>) {
    super('LSTM', 'LSTM', args);
  }

  _getName(): string {
    return 'DynamicQuantizedLSTM';
  }

  forward(input: PackedSequence, hx?: LSTMState | null): [PackedSequence, LSTMState];
  forward(input: Tensor, hx?: LSTMState | null): [Tensor, LSTMState];
  forward(input: Tensor | PackedSequence, hx: LSTMState | null = null): [Tensor | PackedSequence, LSTMState] {
    const { data, batchSizes, maxBatch, sorted, unsorted } = unpack(input, this.batchFirst);
    let state: LSTMState;
    if (hx === null || hx === undefined) {
      const z = zeros([this.numLayers * this.numDirections, maxBatch, this.hiddenSize], { dtype: data.dtype, device: data.device });
      state = [z, z];
    } else {
      state = [permute(hx[0], sorted), permute(hx[1], sorted)];
    }
    this.checkInput(data, batchSizes);
    const expected = this.expectedHiddenSize(data, batchSizes);
    this.checkHiddenSize(state[0], expected, 'Expected hidden[0] size {}, got {}');
    this.checkHiddenSize(state[1], expected, 'Expected hidden[1] size {}, got {}');
    if (batchSizes === null && !this.bias) throw new TorchError('quantized LSTM requires biases');
    const hs = state[0].unbind(0);
    const cs = state[1].unbind(0);
    const r = this.runStack<LSTMState>(lstmCell, data, hs.map((h, i) => [h, cs[i]]), batchSizes);
    const hidden: LSTMState = [permute(stackOf(r.hiddens, 0), unsorted), permute(stackOf(r.hiddens, 1), unsorted)];
    if (batchSizes === null) return [r.output, hidden];
    return [new PackedSequence(r.output, batchSizes, sorted, unsorted), hidden];
  }

  static fromFloat(mod: Module): LSTM {
    return RNNBase.fromFloat(mod) as LSTM;
  }
}

export class GRU extends RNNBase {
  /** GRU(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, dtype = torch.qint8), any by name */
  constructor(...args: ArgsOf<typeof RNN_SIG>) {
    super('GRU', 'GRU', args);
  }

  _getName(): string {
    return 'DynamicQuantizedGRU';
  }

  forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    const { data, batchSizes, maxBatch, sorted, unsorted } = unpack(input, this.batchFirst);
    const state = hx === null || hx === undefined ? zeros([this.numLayers * this.numDirections, maxBatch, this.hiddenSize], { dtype: data.dtype, device: data.device }) : permute(hx, sorted);
    this.checkInput(data, batchSizes);
    this.checkHiddenSize(state, this.expectedHiddenSize(data, batchSizes), 'Expected hidden size {}, got {}');
    const r = this.runStack<Tensor>(gruCell, data, state.unbind(0), batchSizes);
    const hidden = permute(stack(r.hiddens, 0), unsorted);
    if (batchSizes === null) return [r.output, hidden];
    return [new PackedSequence(r.output, batchSizes, sorted, unsorted), hidden];
  }

  static fromFloat(mod: Module): GRU {
    return RNNBase.fromFloat(mod) as GRU;
  }
}
