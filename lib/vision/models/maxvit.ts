// torchvision.models.maxvit: MaxViT-T (the MaxVit class takes any configuration). Each layer is an MBConv
// followed by attention within windows and attention across a grid; the input size is fixed at
// construction, as the partitions must divide every block's feature map.
import { AssertionError, PyTypeError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { einsum } from '../../ops/generated/functions';
import * as nn from '../../nn';
import { softmax } from '../../nn/functional/activation';
import { Module } from '../../nn/module';
import { Parameter } from '../../nn/parameter';
import { ActivationLayer, Conv2dNormActivation, NormLayer, Seq, SqueezeExcitation, StochasticDepth, gelu, seq, silu } from './ops';
import { relativePositionIndex } from './swin-attention';
import { BuilderOptions, build, builderKeys } from './builder';
import { WEIGHTS, Weights } from './weights';
import { checkKeywords, keysOf } from '../../keywords';
import { pyList, pyTuple } from '../../py-format';

type Size = [number, number];
const convOutputShape = ([h, w]: Size, kernelSize: number, stride: number, padding: number): Size => [
  Math.floor((h - kernelSize + 2 * padding) / stride) + 1,
  Math.floor((w - kernelSize + 2 * padding) / stride) + 1,
];

/** numpy.linspace(start, stop, num).tolist(): i * step + start, the last one exactly stop. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (num > 1 && i === num - 1 ? stop : i * step + start));
}

/** Inverted bottleneck with squeeze-excitation (pre-norm), and a pooled 1x1 projection as the shortcut when shapes change. */
export class MBConv extends Module {
  proj: Module;
  stochastic_depth: Module;
  layers: nn.Sequential;

  constructor(inChannels: number, outChannels: number, expansionRatio: number, squeezeRatio: number, stride: number, activationLayer: ActivationLayer, normLayer: NormLayer, pStochasticDropout = 0) {
    super();
    if (stride !== 1 || inChannels !== outChannels) {
      const proj: Module[] = [new nn.Conv2d(inChannels, outChannels, 1, { stride: 1, bias: true })];
      if (stride === 2) proj.unshift(new nn.AvgPool2d(3, { stride, padding: 1 }));
      this.proj = new nn.Sequential(...proj);
    } else {
      this.proj = new nn.Identity();
    }
    const mid = Math.trunc(outChannels * expansionRatio);
    const sqz = Math.trunc(outChannels * squeezeRatio);
    this.stochastic_depth = pStochasticDropout ? new StochasticDepth(pStochasticDropout, 'row') : new nn.Identity();
    const layers = new Map<string, Module>();
    layers.set('pre_norm', normLayer(inChannels));
    layers.set('conv_a', new Conv2dNormActivation(inChannels, mid, { kernelSize: 1, stride: 1, padding: 0, activationLayer, normLayer, inplace: null }));
    layers.set('conv_b', new Conv2dNormActivation(mid, mid, { kernelSize: 3, stride, padding: 1, activationLayer, normLayer, groups: mid, inplace: null }));
    layers.set('squeeze_excitation', new SqueezeExcitation(mid, sqz, { activation: silu }));
    layers.set('conv_c', new nn.Conv2d(mid, outChannels, 1, { bias: true }));
    this.layers = new nn.Sequential(layers);
  }

  /** (B, C, H, W) -> (B, C', H / stride, W / stride) */
  forward(x: Tensor): Tensor {
    const res = this.proj(x) as Tensor;
    return res.add(this.stochastic_depth(this.layers(x)));
  }
}

/** Multi-head self-attention over the P tokens of each group, with a learned relative position bias. */
export class RelativePositionalMultiHeadAttention extends Module {
  readonly nHeads: number;
  readonly size: number;
  readonly scaleFactor: number;
  to_qkv: nn.Linear;
  merge: nn.Linear;
  relative_position_bias_table: Parameter;
  declare relative_position_index: Tensor;

  constructor(featDim: number, readonly headDim: number, readonly maxSeqLen: number) {
    super();
    if (featDim % headDim !== 0) throw new ValueError(`feat_dim: ${featDim} must be divisible by head_dim: ${headDim}`);
    this.nHeads = Math.floor(featDim / headDim);
    this.size = Math.trunc(Math.sqrt(maxSeqLen));
    this.to_qkv = new nn.Linear(featDim, this.nHeads * headDim * 3);
    this.scaleFactor = featDim ** -0.5;
    this.merge = new nn.Linear(headDim * this.nHeads, featDim);
    this.relative_position_bias_table = new Parameter(empty([(2 * this.size - 1) * (2 * this.size - 1), this.nHeads]));
    this.registerBuffer('relative_position_index', relativePositionIndex(this.size, this.size));
    nn.init.truncNormal_(this.relative_position_bias_table, { std: 0.02 });
  }

  getRelativePositionalBias(): Tensor {
    const bias = this.relative_position_bias_table.index(this.relative_position_index.view([-1])).view([this.maxSeqLen, this.maxSeqLen, -1]);
    return bias.permute([2, 0, 1]).contiguous().unsqueeze(0);
  }

  /** (B, G, P, D) -> (B, G, P, D) */
  forward(x: Tensor): Tensor {
    const [B, G, P, D] = x.shape;
    const [H, DH] = [this.nHeads, this.headDim];
    const heads = (t: Tensor) => t.reshape([B, G, P, H, DH]).permute([0, 1, 3, 2, 4]);
    const [q, k0, v] = (this.to_qkv(x) as Tensor).chunk(3, { dim: -1 }).map(heads);
    const k = k0.mul(this.scaleFactor);
    const dotProd = softmax(einsum('B G H I D, B G H J D -> B G H I J', [q, k]).add(this.getRelativePositionalBias()), { dim: -1 });
    const out = einsum('B G H I J, B G H J D -> B G H I D', [dotProd, v]).permute([0, 1, 3, 2, 4]).reshape([B, G, P, D]);
    return this.merge(out);
  }
}

/** torch.swapaxes(x, a, b) as a layer. */
export class SwapAxes extends Module {
  constructor(readonly a: number, readonly b: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.transpose(this.a, this.b);
  }
}

/** (B, C, H, W) -> (B, H/P * W/P, P*P, C): non-overlapping P x P windows. */
export class WindowPartition extends Module {
  forward(x: Tensor, p: number): Tensor {
    const [B, C, H, W] = x.shape;
    return x.reshape([B, C, Math.floor(H / p), p, Math.floor(W / p), p]).permute([0, 2, 4, 3, 5, 1]).reshape([B, Math.floor(H / p) * Math.floor(W / p), p * p, C]);
  }
}

/** WindowPartition's inverse: (B, HP * WP, P*P, C) -> (B, C, HP * P, WP * P). */
export class WindowDepartition extends Module {
  forward(x: Tensor, p: number, hPartitions: number, wPartitions: number): Tensor {
    const [B, , , C] = x.shape;
    return x.reshape([B, hPartitions, wPartitions, p, p, C]).permute([0, 5, 1, 3, 2, 4]).reshape([B, C, hPartitions * p, wPartitions * p]);
  }
}

/** Attention and MLP (pre-norm residuals) within windows ('window') or across a dilated grid ('grid'). */
export class PartitionAttentionLayer extends Module {
  readonly nHeads: number;
  readonly nPartitions: number;
  readonly p: number;
  readonly g: number;
  partition_op: WindowPartition;
  departition_op: WindowDepartition;
  partition_swap: Module;
  departition_swap: Module;
  attn_layer: nn.Sequential;
  mlp_layer: nn.Sequential;
  stochastic_dropout: StochasticDepth;

  constructor(
    inChannels: number,
    readonly headDim: number,
    partitionSize: number,
    readonly partitionType: 'grid' | 'window',
    readonly gridSize: Size,
    mlpRatio: number,
    activationLayer: ActivationLayer,
    normLayer: NormLayer,
    attentionDropout: number,
    mlpDropout: number,
    pStochasticDropout: number,
  ) {
    super();
    this.nHeads = Math.floor(inChannels / headDim);
    this.nPartitions = Math.floor(gridSize[0] / partitionSize);
    if (partitionType !== 'grid' && partitionType !== 'window') throw new ValueError("partition_type must be either 'grid' or 'window'");
    [this.p, this.g] = partitionType === 'window' ? [partitionSize, this.nPartitions] : [this.nPartitions, partitionSize];
    this.partition_op = new WindowPartition();
    this.departition_op = new WindowDepartition();
    this.partition_swap = partitionType === 'grid' ? new SwapAxes(-2, -3) : new nn.Identity();
    this.departition_swap = partitionType === 'grid' ? new SwapAxes(-2, -3) : new nn.Identity();
    // partitionSize ** 2 tokens per group in both cases, the grid's through the axis swap
    this.attn_layer = new nn.Sequential(normLayer(inChannels), new RelativePositionalMultiHeadAttention(inChannels, headDim, partitionSize ** 2), new nn.Dropout(attentionDropout));
    this.mlp_layer = new nn.Sequential(
      new nn.LayerNorm(inChannels),
      new nn.Linear(inChannels, inChannels * mlpRatio),
      activationLayer({}),
      new nn.Linear(inChannels * mlpRatio, inChannels),
      new nn.Dropout(mlpDropout),
    );
    this.stochastic_dropout = new StochasticDepth(pStochasticDropout, 'row');
  }

  /** (B, C, H, W) -> (B, C, H, W) */
  forward(x: Tensor): Tensor {
    const [gh, gw] = [Math.floor(this.gridSize[0] / this.p), Math.floor(this.gridSize[1] / this.p)];
    if (this.gridSize[0] % this.p !== 0 || this.gridSize[1] % this.p !== 0) {
      throw new AssertionError(`Grid size must be divisible by partition size. Got grid size of ${pyTuple(this.gridSize)} and partition size of ${this.p}`);
    }
    x = this.partition_op(x, this.p) as Tensor;
    x = this.partition_swap(x) as Tensor;
    x = x.add(this.stochastic_dropout(this.attn_layer(x)));
    x = x.add(this.stochastic_dropout(this.mlp_layer(x)));
    x = this.departition_swap(x) as Tensor;
    return this.departition_op(x, this.p, gh, gw) as Tensor;
  }
}

/** An MBConv, then window attention, then grid attention. */
export class MaxVitLayer extends Module {
  layers: nn.Sequential;

  constructor(
    inChannels: number,
    outChannels: number,
    squeezeRatio: number,
    expansionRatio: number,
    stride: number,
    normLayer: NormLayer,
    activationLayer: ActivationLayer,
    headDim: number,
    mlpRatio: number,
    mlpDropout: number,
    attentionDropout: number,
    pStochasticDropout: number,
    partitionSize: number,
    gridSize: Size,
  ) {
    super();
    const layerNorm: NormLayer = (c) => new nn.LayerNorm(c);
    const attention = (type: 'window' | 'grid') =>
      new PartitionAttentionLayer(outChannels, headDim, partitionSize, type, gridSize, mlpRatio, activationLayer, layerNorm, attentionDropout, mlpDropout, pStochasticDropout);
    const layers = new Map<string, Module>();
    layers.set('MBconv', new MBConv(inChannels, outChannels, expansionRatio, squeezeRatio, stride, activationLayer, normLayer, pStochasticDropout));
    layers.set('window_attention', attention('window'));
    layers.set('grid_attention', attention('grid'));
    this.layers = new nn.Sequential(layers);
  }

  forward(x: Tensor): Tensor {
    return this.layers(x);
  }
}

/** MaxVitLayers, the first one with stride 2; pStochastic: one probability per layer. */
export class MaxVitBlock extends Module {
  layers: nn.ModuleList;
  readonly gridSize: Size;

  constructor(
    inChannels: number,
    outChannels: number,
    squeezeRatio: number,
    expansionRatio: number,
    normLayer: NormLayer,
    activationLayer: ActivationLayer,
    headDim: number,
    mlpRatio: number,
    mlpDropout: number,
    attentionDropout: number,
    partitionSize: number,
    inputGridSize: Size,
    nLayers: number,
    pStochastic: number[],
  ) {
    super();
    if (pStochastic.length !== nLayers) throw new ValueError(`p_stochastic must have length n_layers=${nLayers}, got p_stochastic=[${pStochastic.join(', ')}].`);
    this.layers = new nn.ModuleList();
    this.gridSize = convOutputShape(inputGridSize, 3, 2, 1); // the first layer's stride
    pStochastic.forEach((p, idx) => {
      this.layers.append(
        new MaxVitLayer(idx === 0 ? inChannels : outChannels, outChannels, squeezeRatio, expansionRatio, idx === 0 ? 2 : 1, normLayer, activationLayer, headDim, mlpRatio, mlpDropout, attentionDropout, p, partitionSize, this.gridSize),
      );
    });
  }

  forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = layer(x) as Tensor;
    return x;
  }
}

export interface MaxVitOptions {
  /** default BatchNorm2d(eps=1e-3, momentum=0.99); the conv layers' only */
  normLayer?: NormLayer | null;
  activationLayer?: ActivationLayer;
  squeezeRatio?: number;
  expansionRatio?: number;
  mlpRatio?: number;
  mlpDropout?: number;
  attentionDropout?: number;
  numClasses?: number;
}
const MAXVIT_KEYS = keysOf<MaxVitOptions>()('normLayer', 'activationLayer', 'squeezeRatio', 'expansionRatio', 'mlpRatio', 'mlpDropout', 'attentionDropout', 'numClasses');

// `classifier` is typed with the children fine-tuning code reaches (classifier[5].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface MaxVit {
  /** AdaptiveAvgPool2d, Flatten, LayerNorm, Linear, Tanh, Linear (no bias) */
  get classifier(): Seq<{ 3: nn.Linear; 5: nn.Linear }>;
  set classifier(value: nn.Sequential);
}

export class MaxVit extends Module {
  stem: nn.Sequential;
  readonly partitionSize: number;
  blocks: nn.ModuleList;

  constructor(
    inputSize: Size,
    stemChannels: number,
    partitionSize: number,
    blockChannels: number[],
    blockLayers: number[],
    headDim: number,
    stochasticDepthProb: number,
    options: MaxVitOptions = {},
  ) {
    super();
    checkKeywords('MaxVit', options, MAXVIT_KEYS);
    const { activationLayer = gelu, squeezeRatio = 0.25, expansionRatio = 4, mlpRatio = 4, mlpDropout = 0, attentionDropout = 0, numClasses = 1000 } = options;
    const normLayer = options.normLayer ?? ((c: number) => new nn.BatchNorm2d(c, { eps: 1e-3, momentum: 0.99 }));

    // every block's input must be whole partitions
    const blockInputSizes: Size[] = [];
    let shape = convOutputShape(inputSize, 3, 2, 1);
    for (let i = 0; i < blockChannels.length; i++) blockInputSizes.push((shape = convOutputShape(shape, 3, 2, 1)));
    blockInputSizes.forEach((s, idx) => {
      if (s[0] % partitionSize !== 0 || s[1] % partitionSize !== 0) {
        throw new ValueError(
          `Input size ${pyTuple(s)} of block ${idx} is not divisible by partition size ${partitionSize}. Consider changing the partition size or the input size.\n` +
            `Current configuration yields the following block input sizes: ${pyList(blockInputSizes)}.`,
        );
      }
    });

    this.stem = new nn.Sequential(
      new Conv2dNormActivation(3, stemChannels, { kernelSize: 3, stride: 2, normLayer, activationLayer, bias: false, inplace: null }),
      new Conv2dNormActivation(stemChannels, stemChannels, { kernelSize: 3, stride: 1, normLayer: null, activationLayer: null, bias: true }),
    );
    let size = convOutputShape(inputSize, 3, 2, 1); // after the stem's stride
    this.partitionSize = partitionSize;
    this.blocks = new nn.ModuleList();
    // the stochastic depth probability grows linearly over all layers of all blocks
    const pStochastic = linspace(0, stochasticDepthProb, blockLayers.reduce((a, b) => a + b, 0));
    let pIdx = 0;
    blockChannels.forEach((out, i) => {
      const block = new MaxVitBlock(
        i === 0 ? stemChannels : blockChannels[i - 1], out, squeezeRatio, expansionRatio, normLayer, activationLayer, headDim, mlpRatio, mlpDropout, attentionDropout,
        partitionSize, size, blockLayers[i], pStochastic.slice(pIdx, pIdx + blockLayers[i]),
      );
      this.blocks.append(block);
      size = block.gridSize;
      pIdx += blockLayers[i];
    });
    const last = blockChannels[blockChannels.length - 1];
    // Linear -> Tanh -> Linear as the original MaxViT's head
    this.classifier = seq(
      new nn.Sequential(new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.LayerNorm(last), new nn.Linear(last, last), new nn.Tanh(), new nn.Linear(last, numClasses, { bias: false })),
    );
    this.initWeights();
  }

  private initWeights(): void {
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d || m instanceof nn.Linear) {
        nn.init.normal_(m.weight, { std: 0.02 });
        if (m.bias) nn.init.zeros_(m.bias);
      } else if (m instanceof nn.BatchNorm2d) {
        nn.init.constant_(m.weight!, 1);
        nn.init.constant_(m.bias!, 0);
      }
    }
  }

  forward(x: Tensor): Tensor {
    x = this.stem(x) as Tensor;
    for (const block of this.blocks) x = block(x) as Tensor;
    return this.classifier(x);
  }
}

export const MaxVit_T_Weights = WEIGHTS.MaxVit_T_Weights;

/** maxvitT's options: MaxVit's, and the input size (fixed by an enum entry's min_size). */
export type MaxVitBuilderOptions = Omit<MaxVitOptions, 'numClasses'> & BuilderOptions & { inputSize?: Size };
const MAXVIT_BUILDER_KEYS = builderKeys<MaxVitBuilderOptions>()('normLayer', 'activationLayer', 'squeezeRatio', 'expansionRatio', 'mlpRatio', 'mlpDropout', 'attentionDropout', 'inputSize');
/** what torchvision's _maxvit passes itself */
const FIXED = ['stemChannels', 'blockChannels', 'blockLayers', 'headDim', 'stochasticDepthProb', 'partitionSize'];

/** torchvision's maxvit_t: stem 64, blocks [64, 128, 256, 512] x [2, 2, 5, 2], heads of 32, partitions of 7. */
export function maxvitT(o: MaxVitBuilderOptions = {}): MaxVit {
  for (const key of FIXED) {
    if ((o as Record<string, unknown>)[key] !== undefined) throw new PyTypeError(`maxvitT() got multiple values for keyword argument '${key}'`);
  }
  return build('maxvitT', 'MaxVit_T_Weights', MAXVIT_BUILDER_KEYS, o, (numClasses, { inputSize, ...rest }, entry) => {
    let size: Size = inputSize ?? [224, 224];
    if (entry instanceof Weights && entry.meta.minSize) {
      const fixed = entry.meta.minSize as Size;
      if (inputSize !== undefined && (inputSize[0] !== fixed[0] || inputSize[1] !== fixed[1])) {
        throw new ValueError(`The parameter 'input_size' expected value ${pyTuple(fixed)} but got ${pyTuple(inputSize)} instead.`);
      }
      size = [fixed[0], fixed[1]];
    }
    return new MaxVit(size, 64, 7, [64, 128, 256, 512], [2, 2, 5, 2], 32, 0.2, { ...rest, numClasses });
  });
}
