// torchvision.models.regnet: RegNetY 400MF..128GF and RegNetX 400MF..32GF (the RegNet class takes
// any BlockParams), with torchvision's module names (block1-0, ...), options and initialisation.
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { arange } from '../../tensor/create';
import { pow } from '../../tensor/functions';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { chain, release } from '../../nn/intermediates';
import { ActivationLayer, Conv2dNormActivation, NormLayer, SqueezeExcitation, batchNorm2d, makeDivisible, relu } from './ops';
import { BuilderOptions, build, builderKeys } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

/** Python's round(): halves to even. */
const pyRound = (x: number): number => {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** The stem: a stride-2 3x3 Conv2dNormActivation. */
export class SimpleStemIN extends Conv2dNormActivation {
  constructor(widthIn: number, widthOut: number, normLayer: NormLayer, activationLayer: ActivationLayer) {
    super(widthIn, widthOut, { kernelSize: 3, stride: 2, normLayer, activationLayer });
  }
}

/** 1x1 (a), grouped 3x3 (b), Squeeze-Excitation when seRatio is set (se), 1x1 without activation (c). */
export class BottleneckTransform extends nn.Sequential {
  constructor(
    widthIn: number,
    widthOut: number,
    stride: number,
    normLayer: NormLayer,
    activationLayer: ActivationLayer,
    groupWidth: number,
    bottleneckMultiplier: number,
    seRatio: number | null,
  ) {
    const wB = pyRound(widthOut * bottleneckMultiplier);
    const g = Math.floor(wB / groupWidth);
    const layers = new Map<string, Module>();
    layers.set('a', new Conv2dNormActivation(widthIn, wB, { kernelSize: 1, stride: 1, normLayer, activationLayer }));
    layers.set('b', new Conv2dNormActivation(wB, wB, { kernelSize: 3, stride, groups: g, normLayer, activationLayer }));
    if (seRatio) {
      // the SE reduction ratio is relative to the block's input width
      layers.set('se', new SqueezeExcitation(wB, pyRound(seRatio * widthIn), { activation: activationLayer }));
    }
    layers.set('c', new Conv2dNormActivation(wB, widthOut, { kernelSize: 1, stride: 1, normLayer, activationLayer: null }));
    super(layers);
  }
}

/** activation(proj(x) + f(x)), proj being a strided 1x1 projection when the shape changes. */
export class ResBottleneckBlock extends Module {
  proj: Conv2dNormActivation | null = null;
  f: BottleneckTransform;
  activation: Module;

  constructor(
    widthIn: number,
    widthOut: number,
    stride: number,
    normLayer: NormLayer,
    activationLayer: ActivationLayer,
    groupWidth = 1,
    bottleneckMultiplier = 1.0,
    seRatio: number | null = null,
  ) {
    super();
    if (widthIn !== widthOut || stride !== 1) {
      this.proj = new Conv2dNormActivation(widthIn, widthOut, { kernelSize: 1, stride, normLayer, activationLayer: null });
    }
    this.f = new BottleneckTransform(widthIn, widthOut, stride, normLayer, activationLayer, groupWidth, bottleneckMultiplier, seRatio);
    this.activation = activationLayer({ inplace: true });
  }

  forward(x: Tensor): Tensor {
    const shortcut = this.proj ? (this.proj(x) as Tensor) : x;
    const out = chain(x, [this.f]) as Tensor;
    const sum = shortcut.add(out);
    release(shortcut, x, sum);
    release(out, x, sum);
    return this.activation(sum) as Tensor;
  }
}

/** What builds a RegNet block (torchvision's block_type), with ResBottleneckBlock's arguments. */
export type RegNetBlock = new (
  widthIn: number,
  widthOut: number,
  stride: number,
  normLayer: NormLayer,
  activationLayer: ActivationLayer,
  groupWidth: number,
  bottleneckMultiplier: number,
  seRatio: number | null,
) => Module;
/** What builds the stem (torchvision's stem_type), with SimpleStemIN's arguments. */
export type RegNetStem = new (widthIn: number, widthOut: number, normLayer: NormLayer, activationLayer: ActivationLayer) => Module;

/** A stage: `depth` blocks named block<stageIndex>-<i>, the first one changing width and stride. */
export class AnyStage extends nn.Sequential {
  constructor(
    widthIn: number,
    widthOut: number,
    stride: number,
    depth: number,
    blockConstructor: RegNetBlock,
    normLayer: NormLayer,
    activationLayer: ActivationLayer,
    groupWidth: number,
    bottleneckMultiplier: number,
    seRatio: number | null = null,
    stageIndex = 0,
  ) {
    const blocks = new Map<string, Module>();
    for (let i = 0; i < depth; i++) {
      const block = new blockConstructor(i === 0 ? widthIn : widthOut, widthOut, i === 0 ? stride : 1, normLayer, activationLayer, groupWidth, bottleneckMultiplier, seRatio);
      blocks.set(`block${stageIndex}-${i}`, block);
    }
    super(blocks);
  }
}

export interface BlockParamsInit {
  depth: number;
  w0: number;
  wA: number;
  wM: number;
  groupWidth: number;
  bottleneckMultiplier?: number;
  seRatio?: number | null;
}
const BLOCK_PARAMS_KEYS = keysOf<BlockParamsInit>()('depth', 'w0', 'wA', 'wM', 'groupWidth', 'bottleneckMultiplier', 'seRatio');

/** Per-stage settings: depths, widths, group widths, bottleneck multipliers, strides and the SE ratio. */
export class BlockParams {
  constructor(
    readonly depths: number[],
    readonly widths: number[],
    readonly groupWidths: number[],
    readonly bottleneckMultipliers: number[],
    readonly strides: number[],
    readonly seRatio: number | null = null,
  ) {}

  /**
   * The stages of a RegNet design: block widths w0 + wA * i quantised in log space (step wM) to
   * multiples of 8; consecutive blocks of equal width form a stage. Computed with the float32
   * tensor ops torchvision uses, so that the rounding is the same.
   */
  static fromInitParams(init: BlockParamsInit): BlockParams {
    checkKeywords('BlockParams.fromInitParams', init, BLOCK_PARAMS_KEYS);
    const { depth, w0, wA, wM, groupWidth, bottleneckMultiplier = 1.0, seRatio = null } = init;
    const QUANT = 8;
    const STRIDE = 2;
    if (wA < 0 || w0 <= 0 || wM <= 1 || w0 % 8 !== 0) throw new ValueError('Invalid RegNet settings');
    const widthsCont = arange(depth).mul(wA).add(w0);
    const blockCapacity = widthsCont.div(w0).log().div(Math.log(wM)).round();
    const blockWidths = (pow(wM, blockCapacity).mul(w0).div(QUANT).round().mul(QUANT).int().tolist() as number[]);
    const numStages = new Set(blockWidths).size;
    // a stage starts wherever the width changes (and the list ends)
    const starts: number[] = [];
    for (let i = 0; i <= blockWidths.length; i++) if ((blockWidths[i] ?? 0) !== (blockWidths[i - 1] ?? 0)) starts.push(i);
    const stageWidths = starts.slice(0, -1).map((i) => blockWidths[i]);
    const stageDepths = starts.slice(1).map((s, i) => s - starts[i]);
    const bottleneckMultipliers = new Array<number>(numStages).fill(bottleneckMultiplier);
    const [widths, groupWidths] = BlockParams.adjustWidthsGroupsCompatibility(stageWidths, bottleneckMultipliers, new Array<number>(numStages).fill(groupWidth));
    return new BlockParams(stageDepths, widths, groupWidths, bottleneckMultipliers, new Array<number>(numStages).fill(STRIDE), seRatio);
  }

  /** Stage widths whose bottleneck width is a multiple of the group width (no larger than it). */
  static adjustWidthsGroupsCompatibility(stageWidths: number[], bottleneckRatios: number[], groupWidths: number[]): [number[], number[]] {
    const widths = stageWidths.map((w, i) => Math.trunc(w * bottleneckRatios[i]));
    const groupWidthsMin = groupWidths.map((g, i) => Math.min(g, widths[i]));
    const wsBot = widths.map((w, i) => makeDivisible(w, groupWidthsMin[i]));
    return [wsBot.map((w, i) => Math.trunc(w / bottleneckRatios[i])), groupWidthsMin];
  }

  /** [width, stride, depth, groupWidth, bottleneckMultiplier] per stage */
  expandedParams(): [number, number, number, number, number][] {
    return this.widths.map((w, i) => [w, this.strides[i], this.depths[i], this.groupWidths[i], this.bottleneckMultipliers[i]]);
  }
}

export interface RegNetOptions {
  numClasses?: number;
  stemWidth?: number;
  stemType?: RegNetStem | null;
  blockType?: RegNetBlock | null;
  normLayer?: NormLayer | null;
  activation?: ActivationLayer | null;
}
const REGNET_KEYS = keysOf<RegNetOptions>()('numClasses', 'stemWidth', 'stemType', 'blockType', 'normLayer', 'activation');

export class RegNet extends Module {
  stem: Module;
  trunk_output: nn.Sequential;
  avgpool: nn.AdaptiveAvgPool2d;
  fc: nn.Linear;

  constructor(blockParams: BlockParams, options: RegNetOptions = {}) {
    super();
    checkKeywords('RegNet', options, REGNET_KEYS);
    const { numClasses = 1000, stemWidth = 32 } = options;
    const stemType = options.stemType ?? SimpleStemIN;
    const normLayer = options.normLayer ?? batchNorm2d();
    const blockType = options.blockType ?? ResBottleneckBlock;
    const activation = options.activation ?? relu;
    this.stem = new stemType(3, stemWidth, normLayer, activation);
    let currentWidth = stemWidth;
    const stages = new Map<string, Module>();
    blockParams.expandedParams().forEach(([widthOut, stride, depth, groupWidth, bottleneckMultiplier], i) => {
      stages.set(`block${i + 1}`, new AnyStage(currentWidth, widthOut, stride, depth, blockType, normLayer, activation, groupWidth, bottleneckMultiplier, blockParams.seRatio, i + 1));
      currentWidth = widthOut;
    });
    this.trunk_output = new nn.Sequential(stages);
    this.avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
    this.fc = new nn.Linear({ inFeatures: currentWidth, outFeatures: numClasses });
    // ResNet-style initialisation
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        const fanOut = m.kernelSize[0] * m.kernelSize[1] * m.outChannels;
        nn.init.normal_(m.weight, { mean: 0, std: Math.sqrt(2.0 / fanOut) });
      } else if (m instanceof nn.BatchNorm2d) {
        nn.init.ones_(m.weight!);
        nn.init.zeros_(m.bias!);
      } else if (m instanceof nn.Linear) {
        nn.init.normal_(m.weight, { mean: 0, std: 0.01 });
        nn.init.zeros_(m.bias!);
      }
    }
  }

  forward(x: Tensor): Tensor {
    const pooled = chain(x, [this.stem, this.trunk_output, this.avgpool]) as Tensor;
    const flat = pooled.flatten(1);
    release(pooled, x, flat);
    return this.fc(flat);
  }
}

export const RegNet_Y_400MF_Weights = WEIGHTS.RegNet_Y_400MF_Weights;
export const RegNet_Y_800MF_Weights = WEIGHTS.RegNet_Y_800MF_Weights;
export const RegNet_Y_1_6GF_Weights = WEIGHTS.RegNet_Y_1_6GF_Weights;
export const RegNet_Y_3_2GF_Weights = WEIGHTS.RegNet_Y_3_2GF_Weights;
export const RegNet_Y_8GF_Weights = WEIGHTS.RegNet_Y_8GF_Weights;
export const RegNet_Y_16GF_Weights = WEIGHTS.RegNet_Y_16GF_Weights;
export const RegNet_Y_32GF_Weights = WEIGHTS.RegNet_Y_32GF_Weights;
export const RegNet_Y_128GF_Weights = WEIGHTS.RegNet_Y_128GF_Weights;
export const RegNet_X_400MF_Weights = WEIGHTS.RegNet_X_400MF_Weights;
export const RegNet_X_800MF_Weights = WEIGHTS.RegNet_X_800MF_Weights;
export const RegNet_X_1_6GF_Weights = WEIGHTS.RegNet_X_1_6GF_Weights;
export const RegNet_X_3_2GF_Weights = WEIGHTS.RegNet_X_3_2GF_Weights;
export const RegNet_X_8GF_Weights = WEIGHTS.RegNet_X_8GF_Weights;
export const RegNet_X_16GF_Weights = WEIGHTS.RegNet_X_16GF_Weights;
export const RegNet_X_32GF_Weights = WEIGHTS.RegNet_X_32GF_Weights;

/** the builders' options: RegNet's besides numClasses (the block design is the builder's) */
export type RegNetBuilderOptions = BuilderOptions & Omit<RegNetOptions, 'numClasses'>;
const REGNET_BUILDER_KEYS = builderKeys<RegNetBuilderOptions>()('stemWidth', 'stemType', 'blockType', 'normLayer', 'activation');

/** torchvision's _regnet: BatchNorm2d(eps=1e-05, momentum=0.1) unless a normLayer is given. */
function regnet(fn: string, enumName: keyof typeof WEIGHTS, design: BlockParamsInit, o: RegNetBuilderOptions): RegNet {
  return build(fn, enumName, REGNET_BUILDER_KEYS, o, (numClasses, { normLayer, ...rest }) =>
    new RegNet(BlockParams.fromInitParams(design), { ...rest, normLayer: normLayer ?? batchNorm2d({ eps: 1e-5, momentum: 0.1 }), numClasses }),
  );
}

type Opts = RegNetBuilderOptions;
const y = (depth: number, w0: number, wA: number, wM: number, groupWidth: number): BlockParamsInit => ({ depth, w0, wA, wM, groupWidth, seRatio: 0.25 });
const x = (depth: number, w0: number, wA: number, wM: number, groupWidth: number): BlockParamsInit => ({ depth, w0, wA, wM, groupWidth });

export const regnetY400mf = (o: Opts = {}) => regnet('regnetY400mf', 'RegNet_Y_400MF_Weights', y(16, 48, 27.89, 2.09, 8), o);
export const regnetY800mf = (o: Opts = {}) => regnet('regnetY800mf', 'RegNet_Y_800MF_Weights', y(14, 56, 38.84, 2.4, 16), o);
export const regnetY1_6gf = (o: Opts = {}) => regnet('regnetY1_6gf', 'RegNet_Y_1_6GF_Weights', y(27, 48, 20.71, 2.65, 24), o);
export const regnetY3_2gf = (o: Opts = {}) => regnet('regnetY3_2gf', 'RegNet_Y_3_2GF_Weights', y(21, 80, 42.63, 2.66, 24), o);
export const regnetY8gf = (o: Opts = {}) => regnet('regnetY8gf', 'RegNet_Y_8GF_Weights', y(17, 192, 76.82, 2.19, 56), o);
export const regnetY16gf = (o: Opts = {}) => regnet('regnetY16gf', 'RegNet_Y_16GF_Weights', y(18, 200, 106.23, 2.48, 112), o);
export const regnetY32gf = (o: Opts = {}) => regnet('regnetY32gf', 'RegNet_Y_32GF_Weights', y(20, 232, 115.89, 2.53, 232), o);
export const regnetY128gf = (o: Opts = {}) => regnet('regnetY128gf', 'RegNet_Y_128GF_Weights', y(27, 456, 160.83, 2.52, 264), o);
export const regnetX400mf = (o: Opts = {}) => regnet('regnetX400mf', 'RegNet_X_400MF_Weights', x(22, 24, 24.48, 2.54, 16), o);
export const regnetX800mf = (o: Opts = {}) => regnet('regnetX800mf', 'RegNet_X_800MF_Weights', x(16, 56, 35.73, 2.28, 16), o);
export const regnetX1_6gf = (o: Opts = {}) => regnet('regnetX1_6gf', 'RegNet_X_1_6GF_Weights', x(18, 80, 34.01, 2.25, 24), o);
export const regnetX3_2gf = (o: Opts = {}) => regnet('regnetX3_2gf', 'RegNet_X_3_2GF_Weights', x(25, 88, 26.31, 2.25, 48), o);
export const regnetX8gf = (o: Opts = {}) => regnet('regnetX8gf', 'RegNet_X_8GF_Weights', x(23, 80, 49.56, 2.88, 120), o);
export const regnetX16gf = (o: Opts = {}) => regnet('regnetX16gf', 'RegNet_X_16GF_Weights', x(22, 216, 55.59, 2.1, 128), o);
export const regnetX32gf = (o: Opts = {}) => regnet('regnetX32gf', 'RegNet_X_32GF_Weights', x(23, 320, 69.86, 2.0, 168), o);
