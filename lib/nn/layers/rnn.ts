// nn.RNN, nn.LSTM, nn.GRU (torch/nn/modules/rnn.py, 1.13): multi-layer, bidirectional, batch_first,
// dropout between layers, LSTM projections (proj_size), unbatched 2-D input. The parameters are
// registered as PyTorch does (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0,
// then the same with _reverse, layer by layer) and handed in that order, as one flat list, to the
// fused ATen kernels (aten::rnn_tanh / rnn_relu / lstm / gru), as Python's forward does.
import { TorchError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty, zeros } from '../../tensor/create';
import { aten } from '../../tensor/aten';
import { Module } from '../module';
import { Parameter } from '../parameter';
import * as init from '../init';
import { ArgsOf, signature } from '../../keywords';
import { FACTORY_KEYS, type FactoryOptions } from './linear';
import { pyBool, pyFloat, pyTuple } from '../../py-format';
import { PackedSequence } from '../utils/rnn';

const op = {
  rnnTanh: aten('rnn_tanh', 'input'),
  rnnRelu: aten('rnn_relu', 'input'),
  lstm: aten('lstm', 'input'),
  gru: aten('gru', 'input'),
  // PackedSequence input: (data, batch_sizes, hx, params, has_biases, num_layers, dropout, train, bidirectional)
  rnnTanhData: aten('rnn_tanh', 'data'),
  rnnReluData: aten('rnn_relu', 'data'),
  lstmData: aten('lstm', 'data'),
  gruData: aten('gru', 'data'),
};

export type RNNMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

export interface RNNBaseOptions extends FactoryOptions {
  numLayers?: number;
  bias?: boolean;
  batchFirst?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  projSize?: number;
}
export interface RNNOptions extends Omit<RNNBaseOptions, 'projSize'> {
  nonlinearity?: 'tanh' | 'relu';
}
export type GRUOptions = Omit<RNNBaseOptions, 'projSize'>;
export type LSTMOptions = RNNBaseOptions;

/** The sizes every recurrent layer takes first. */
interface Sizes {
  inputSize: number;
  hiddenSize: number;
}
/** RNNBase's parameters by name: RNNBase(mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, proj_size=0). */
export interface RNNBaseArgs extends RNNBaseOptions, Sizes {
  mode: RNNMode;
}
export interface RNNArgs extends RNNOptions, Sizes {}
export interface GRUArgs extends GRUOptions, Sizes {}
export interface LSTMArgs extends LSTMOptions, Sizes {}

/** The optional arguments Python also takes positionally, in its order (proj_size only for LSTM). */
const BASE_POSITIONAL = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional'] as const;
const RNN_BASE = signature<RNNBaseArgs>()(['mode', 'inputSize', 'hiddenSize'], [...BASE_POSITIONAL, 'projSize', ...FACTORY_KEYS]);
const LSTM_SIG = signature<LSTMArgs>()(['inputSize', 'hiddenSize'], [...BASE_POSITIONAL, 'projSize', ...FACTORY_KEYS]);
// RNN and GRU take proj_size by name only, to raise PyTorch's error; so device and dtype come by name too
const RNN_SIG = signature<RNNArgs>()(['inputSize', 'hiddenSize'], BASE_POSITIONAL, ['nonlinearity', 'projSize'], FACTORY_KEYS);
const GRU_SIG = signature<GRUArgs>()(['inputSize', 'hiddenSize'], BASE_POSITIONAL, ['projSize'], FACTORY_KEYS);

const GATES: Record<RNNMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

export class RNNBase extends Module {
  readonly mode: RNNMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;
  /** the parameter names in the order the fused kernels take them */
  readonly _flatWeightsNames: string[] = [];
  /** the parameter names per layer and direction (Python's _all_weights) */
  readonly _allWeights: string[][] = [];
  /** typed access to the first layer's weights; every parameter is a property (getParameter too) */
  declare weight_ih_l0: Parameter;
  declare weight_hh_l0: Parameter;

  /** RNNBase(mode, inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, projSize = 0, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof RNN_BASE>) {
    super();
    // RNN, LSTM and GRU pass theirs bound, by name
    const o = RNN_BASE.bind('RNNBase', args);
    const { mode, inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, projSize = 0, ...factory } = o;
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    this.projSize = projSize;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new TorchError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    if (dropout > 0 && numLayers === 1) {
      warn(`dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=${pyFloat(dropout)} and num_layers=${numLayers}`);
    }
    if (projSize < 0) throw new TorchError('proj_size should be a positive integer or zero to disable projections');
    if (projSize >= hiddenSize) throw new TorchError('proj_size has to be smaller than hidden_size');
    const gateSize = GATES[mode];
    if (gateSize === undefined) throw new TorchError(`Unrecognized RNN mode: ${mode}`);

    const self = this as unknown as Record<string, Parameter>;
    const directions = bidirectional ? 2 : 1;
    const realHidden = projSize > 0 ? projSize : hiddenSize;
    for (let layer = 0; layer < numLayers; layer++) {
      for (let direction = 0; direction < directions; direction++) {
        const layerInput = layer === 0 ? inputSize : realHidden * directions;
        const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
        const shapes: [string, number[]][] = [
          ['weight_ih', [gateSize * hiddenSize, layerInput]],
          ['weight_hh', [gateSize * hiddenSize, realHidden]],
        ];
        if (bias) shapes.push(['bias_ih', [gateSize * hiddenSize]], ['bias_hh', [gateSize * hiddenSize]]);
        if (projSize > 0) shapes.push(['weight_hr', [projSize, hiddenSize]]);
        const names = shapes.map(([n]) => n + suffix);
        shapes.forEach(([, shape], i) => {
          self[names[i]] = new Parameter(empty(shape, factory));
        });
        this._flatWeightsNames.push(...names);
        this._allWeights.push(names);
      }
    }
    this.resetParameters();
  }

  /** Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in registration order. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const weight of this.parameters()) init.uniform_(weight, -stdv, stdv);
  }

  /** The parameters in the order the fused kernels take them. */
  get _flatWeights(): Parameter[] {
    const self = this as unknown as Record<string, Parameter>;
    return this._flatWeightsNames.map((n) => self[n]);
  }

  /** Python's all_weights: the parameters per layer and direction. */
  get allWeights(): Parameter[][] {
    const self = this as unknown as Record<string, Parameter>;
    return this._allWeights.map((names) => names.map((n) => self[n]));
  }

  /** No-op on CPU, as in PyTorch (cuDNN weight flattening is not used here). */
  flattenParameters(): void {}

  /** @internal Python's check_input: a PackedSequence's data (batchSizes given) is 2-D, other input 3-D */
  protected checkInput(input: Tensor, batchSizes: Tensor | null = null): void {
    const expectedDim = batchSizes !== null ? 2 : 3;
    if (input.dim() !== expectedDim) throw new TorchError(`input must have ${expectedDim} dimensions, got ${input.dim()}`);
    if (this.inputSize !== input.size(-1)) {
      throw new TorchError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.size(-1)}`);
    }
  }

  /** @internal (layers * directions, batch, hidden or proj size); a PackedSequence's batch is batchSizes[0] */
  protected expectedHiddenSize(input: Tensor, cell = false, batchSizes: Tensor | null = null): number[] {
    const batch = batchSizes !== null ? Number(batchSizes.select(0, 0).item()) : (input.size(this.batchFirst ? 0 : 1) as number);
    const size = !cell && this.projSize > 0 ? this.projSize : this.hiddenSize;
    return [this.numLayers * (this.bidirectional ? 2 : 1), batch, size];
  }

  /** @internal */
  protected checkHiddenSize(hx: Tensor, expected: number[], what = 'hidden size'): void {
    if (hx.shape.join() !== expected.join() || hx.dim() !== expected.length) {
      throw new TorchError(`Expected ${what} ${pyTuple(expected)}, got [${hx.shape.join(', ')}]`);
    }
  }

  /** @internal the fused kernels' trailing arguments (the .data overloads for packed input take no batch_first) */
  protected kernelArgs(packed = false): unknown[] {
    const args = [this._flatWeights, this.bias, this.numLayers, this.dropout, this.training, this.bidirectional];
    return packed ? args : [...args, this.batchFirst];
  }

  extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.bias !== true) s += `, bias=${pyBool(this.bias)}`;
    if (this.batchFirst !== false) s += `, batch_first=${pyBool(this.batchFirst)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional !== false) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }
}

/** Python's permute_hidden: the hidden state's batch (dim 1) reordered; null leaves it as is. */
function permuteHidden(hx: Tensor, permutation: Tensor | null): Tensor {
  return permutation === null ? hx : hx.indexSelect(1, permutation);
}

/**
 * Shared by RNN and GRU on a PackedSequence: h_0 (zeros, or the given one put in the packed
 * batch's sorted order), the kernel's .data overload, then the output packed as the input was and
 * h_n back in the caller's batch order.
 */
function packedSingleStateForward(
  m: RNNBase,
  input: PackedSequence,
  hx: Tensor | null,
  kernel: (args: unknown[]) => unknown,
  check: (data: Tensor, batchSizes: Tensor, hx: Tensor) => void,
): [PackedSequence, Tensor] {
  const { data, batchSizes, sortedIndices, unsortedIndices } = input;
  if (hx === null || hx === undefined) {
    const maxBatch = Number(batchSizes.select(0, 0).item());
    hx = zeros([m.numLayers * (m.bidirectional ? 2 : 1), maxBatch, m.hiddenSize], { dtype: data.dtype, device: data.device });
  } else {
    hx = permuteHidden(hx, sortedIndices);
  }
  check(data, batchSizes, hx);
  const [output, hidden] = kernel([data, batchSizes, hx]) as [Tensor, Tensor];
  return [new PackedSequence(output, batchSizes, sortedIndices, unsortedIndices), permuteHidden(hidden, unsortedIndices)];
}

/** Shared by RNN and GRU: one hidden-state tensor. */
function singleStateForward(m: RNNBase, input: Tensor, hx: Tensor | null, kernel: (args: unknown[]) => unknown, check: (input: Tensor, hx: Tensor) => void): [Tensor, Tensor] {
  const batched = input.dim() === 3;
  const batchDim = m.batchFirst ? 0 : 1;
  if (!batched) {
    input = input.unsqueeze(batchDim);
    if (hx !== null) {
      if (hx.dim() !== 2) throw new TorchError(`For unbatched 2-D input, hx should also be 2-D but got ${hx.dim()}-D tensor`);
      hx = hx.unsqueeze(1);
    }
  } else if (hx !== null && hx.dim() !== 3) {
    throw new TorchError(`For batched 3-D input, hx should also be 3-D but got ${hx.dim()}-D tensor`);
  }
  if (hx === null) {
    const batch = input.size(m.batchFirst ? 0 : 1) as number;
    hx = zeros([m.numLayers * (m.bidirectional ? 2 : 1), batch, m.hiddenSize], { dtype: input.dtype, device: input.device });
  }
  check(input, hx);
  let [output, hidden] = kernel([input, hx]) as [Tensor, Tensor];
  if (!batched) {
    output = output.squeeze(batchDim);
    hidden = hidden.squeeze(1);
  }
  return [output, hidden];
}

/** Elman RNN with tanh or ReLU: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh). */
export class RNN extends RNNBase {
  readonly nonlinearity: 'tanh' | 'relu';

  /** RNN(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, { nonlinearity, device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof RNN_SIG>) {
    const o = RNN_SIG.bind('RNN', args) as RNNArgs & { projSize?: number };
    if ('projSize' in o) throw new TorchError('proj_size argument is only supported for LSTM, not RNN or GRU');
    const { nonlinearity = 'tanh', ...base } = o;
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new TorchError(`Unknown nonlinearity '${String(nonlinearity)}'`);
    super({ mode: nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', ...base });
    this.nonlinearity = nonlinearity;
  }

  /** forward(input, h_0 = zeros) -> [output, h_n]; a PackedSequence input gives a PackedSequence output */
  forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    if (input instanceof PackedSequence) {
      const packedKernel = this.mode === 'RNN_TANH' ? op.rnnTanhData : op.rnnReluData;
      return packedSingleStateForward(this, input, hx, (a) => packedKernel([...a, ...this.kernelArgs(true)]), (x, bs, h) => {
        this.checkInput(x, bs);
        this.checkHiddenSize(h, this.expectedHiddenSize(x, false, bs));
      });
    }
    const kernel = this.mode === 'RNN_TANH' ? op.rnnTanh : op.rnnRelu;
    return singleStateForward(this, input, hx, (a) => kernel([...a, ...this.kernelArgs()]), (x, h) => {
      this.checkInput(x);
      this.checkHiddenSize(h, this.expectedHiddenSize(x));
    });
  }
}

/** Gated recurrent unit (reset, update and new gates, in that order in the weights). */
export class GRU extends RNNBase {
  /** GRU(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof GRU_SIG>) {
    const o = GRU_SIG.bind('GRU', args) as GRUArgs & { projSize?: number };
    if ('projSize' in o) throw new TorchError('proj_size argument is only supported for LSTM, not RNN or GRU');
    super({ mode: 'GRU', ...o });
  }

  /** forward(input, h_0 = zeros) -> [output, h_n]; a PackedSequence input gives a PackedSequence output */
  forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    if (input instanceof PackedSequence) {
      return packedSingleStateForward(this, input, hx, (a) => op.gruData([...a, ...this.kernelArgs(true)]), (x, bs, h) => {
        this.checkInput(x, bs);
        this.checkHiddenSize(h, this.expectedHiddenSize(x, false, bs));
      });
    }
    return singleStateForward(this, input, hx, (a) => op.gru([...a, ...this.kernelArgs()]), (x, h) => {
      this.checkInput(x);
      this.checkHiddenSize(h, this.expectedHiddenSize(x));
    });
  }
}

/** Long short-term memory (input, forget, cell, output gates), with optional projections. */
export class LSTM extends RNNBase {
  /** LSTM(inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, projSize = 0, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof LSTM_SIG>) {
    super({ mode: 'LSTM', ...LSTM_SIG.bind('LSTM', args) });
  }

  /** forward(input, [h_0, c_0] = zeros) -> [output, [h_n, c_n]]; a PackedSequence input gives a PackedSequence output */
  forward(input: PackedSequence, hx?: [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  forward(input: Tensor | PackedSequence, hx: [Tensor, Tensor] | null = null): [Tensor | PackedSequence, [Tensor, Tensor]] {
    if (input instanceof PackedSequence) return this.packedForward(input, hx);
    const batched = input.dim() === 3;
    const batchDim = this.batchFirst ? 0 : 1;
    if (!batched) input = input.unsqueeze(batchDim);
    let h: Tensor;
    let c: Tensor;
    if (hx === null || hx === undefined) {
      const like = { dtype: input.dtype, device: input.device };
      h = zeros(this.expectedHiddenSize(input), like);
      c = zeros(this.expectedHiddenSize(input, true), like);
    } else {
      [h, c] = hx;
      if (batched) {
        if (h.dim() !== 3 || c.dim() !== 3) {
          throw new TorchError(`For batched 3-D input, hx and cx should also be 3-D but got (${h.dim()}-D, ${c.dim()}-D) tensors`);
        }
      } else {
        if (h.dim() !== 2 || c.dim() !== 2) {
          throw new TorchError(`For unbatched 2-D input, hx and cx should also be 2-D but got (${h.dim()}-D, ${c.dim()}-D) tensors`);
        }
        h = h.unsqueeze(1);
        c = c.unsqueeze(1);
      }
    }
    this.checkInput(input);
    this.checkHiddenSize(h, this.expectedHiddenSize(input), 'hidden[0] size');
    this.checkHiddenSize(c, this.expectedHiddenSize(input, true), 'hidden[1] size');
    let [output, hn, cn] = op.lstm([input, [h, c], ...this.kernelArgs()]) as [Tensor, Tensor, Tensor];
    if (!batched) {
      output = output.squeeze(batchDim);
      hn = hn.squeeze(1);
      cn = cn.squeeze(1);
    }
    return [output, [hn, cn]];
  }

  /** @internal forward on a PackedSequence: lstm.data, states permuted as Python's permute_hidden */
  protected packedForward(input: PackedSequence, hx: [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]] {
    const { data, batchSizes, sortedIndices, unsortedIndices } = input;
    let h: Tensor;
    let c: Tensor;
    if (hx === null || hx === undefined) {
      const like = { dtype: data.dtype, device: data.device };
      h = zeros(this.expectedHiddenSize(data, false, batchSizes), like);
      c = zeros(this.expectedHiddenSize(data, true, batchSizes), like);
    } else {
      h = permuteHidden(hx[0], sortedIndices);
      c = permuteHidden(hx[1], sortedIndices);
    }
    this.checkInput(data, batchSizes);
    this.checkHiddenSize(h, this.expectedHiddenSize(data, false, batchSizes), 'hidden[0] size');
    this.checkHiddenSize(c, this.expectedHiddenSize(data, true, batchSizes), 'hidden[1] size');
    const [output, hn, cn] = op.lstmData([data, batchSizes, [h, c], ...this.kernelArgs(true)]) as [Tensor, Tensor, Tensor];
    return [new PackedSequence(output, batchSizes, sortedIndices, unsortedIndices), [permuteHidden(hn, unsortedIndices), permuteHidden(cn, unsortedIndices)]];
  }
}

// Calling the module (`lstm(packed)`) has forward's overloads: a PackedSequence in, one out.
export interface RNN {
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
}
export interface GRU {
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
}
export interface LSTM {
  (input: PackedSequence, hx?: [Tensor, Tensor] | null): [PackedSequence, [Tensor, Tensor]];
  (input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
}
