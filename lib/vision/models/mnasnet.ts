// torchvision.models.mnasnet: MNASNet (B1 variant) 0.5, 0.75, 1.0 and 1.3, with torchvision's module
// names, initialisation and its two checkpoint versions (version 1 had a fixed 32/16-channel stem).
import { ValueError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module, LocalMetadata } from '../../nn/module';
import { chain, release } from '../../nn/intermediates';
import { BuilderOptions, build, builderKeys } from './builder';
import { WEIGHTS } from './weights';
import { Seq, seq } from './ops';
import { checkKeywords, keysOf } from '../../keywords';

/** The paper's TensorFlow momentum 0.9997 as PyTorch's (1 - TensorFlow's). */
const BN_MOMENTUM = 1 - 0.9997;

export class _InvertedResidual extends Module {
  layers: nn.Sequential;
  readonly applyResidual: boolean;

  constructor(inCh: number, outCh: number, kernelSize: number, stride: number, expansionFactor: number, bnMomentum = 0.1) {
    super();
    if (stride !== 1 && stride !== 2) throw new ValueError(`stride should be 1 or 2 instead of ${stride}`);
    if (kernelSize !== 3 && kernelSize !== 5) throw new ValueError(`kernel_size should be 3 or 5 instead of ${kernelSize}`);
    const midCh = inCh * expansionFactor;
    this.applyResidual = inCh === outCh && stride === 1;
    const bn = (c: number) => new nn.BatchNorm2d(c, { momentum: bnMomentum });
    this.layers = new nn.Sequential(
      // pointwise
      new nn.Conv2d(inCh, midCh, 1, { bias: false }),
      bn(midCh),
      new nn.ReLU({ inplace: true }),
      // depthwise
      new nn.Conv2d(midCh, midCh, kernelSize, { padding: Math.floor(kernelSize / 2), stride, groups: midCh, bias: false }),
      bn(midCh),
      new nn.ReLU({ inplace: true }),
      // linear pointwise: no activation
      new nn.Conv2d(midCh, outCh, 1, { bias: false }),
      bn(outCh),
    );
  }

  forward(input: Tensor): Tensor {
    const y = this.layers(input) as Tensor;
    if (!this.applyResidual) return y;
    const out = y.add(input);
    release(y, input, out);
    return out;
  }
}

/** A stack of inverted residuals; the first one changes the feature map size, so it has no skip. */
function stack(inCh: number, outCh: number, kernelSize: number, stride: number, expFactor: number, repeats: number, bnMomentum: number): nn.Sequential {
  if (repeats < 1) throw new ValueError(`repeats should be >= 1, instead got ${repeats}`);
  const blocks = [new _InvertedResidual(inCh, outCh, kernelSize, stride, expFactor, bnMomentum)];
  for (let i = 1; i < repeats; i++) blocks.push(new _InvertedResidual(outCh, outCh, kernelSize, 1, expFactor, bnMomentum));
  return new nn.Sequential(...blocks);
}

/** val rounded to a multiple of divisor, up unless that would be more than 1/roundUpBias of val. */
function roundToMultipleOf(val: number, divisor: number, roundUpBias = 0.9): number {
  if (!(roundUpBias > 0 && roundUpBias < 1)) throw new ValueError(`round_up_bias should be greater than 0.0 and smaller than 1.0 instead of ${roundUpBias}`);
  const newVal = Math.max(divisor, Math.floor(Math.trunc(val + divisor / 2) / divisor) * divisor);
  return newVal >= roundUpBias * val ? newVal : newVal + divisor;
}

/** The channel counts of the stem and stages scaled by alpha. */
function getDepths(alpha: number): number[] {
  return [32, 16, 24, 40, 80, 96, 192, 320].map((d) => roundToMultipleOf(d * alpha, 8));
}

/** The stem a version 1 checkpoint was trained with: fixed 32 and 16 channels (layers 0..8). */
function v1Stem(depths: number[]): Module[] {
  const bn = (c: number) => new nn.BatchNorm2d(c, { momentum: BN_MOMENTUM });
  return [
    new nn.Conv2d(3, 32, 3, { padding: 1, stride: 2, bias: false }),
    bn(32),
    new nn.ReLU({ inplace: true }),
    new nn.Conv2d(32, 32, 3, { padding: 1, stride: 1, groups: 32, bias: false }),
    bn(32),
    new nn.ReLU({ inplace: true }),
    new nn.Conv2d(32, 16, 1, { padding: 0, stride: 1, bias: false }),
    bn(16),
    stack(16, depths[2], 3, 2, 3, 3, BN_MOMENTUM),
  ];
}

const V1_WARNING =
  'A new version of MNASNet model has been implemented. Your checkpoint was saved using the previous version. ' +
  'This checkpoint will load and work as before, but you may want to upgrade by training a newer model or transfer learning from an updated ImageNet checkpoint.';

export interface MNASNetOptions {
  numClasses?: number;
  dropout?: number;
}
const MNASNET_KEYS = keysOf<MNASNetOptions>()('numClasses', 'dropout');

// `classifier` is typed with the children fine-tuning code reaches (classifier[1].inFeatures), and takes any
// nn.Sequential (a new head): a getter and a setter of their own types, the field being assigned in the constructor.
export interface MNASNet {
  /** Dropout, Linear */
  get classifier(): Seq<{ 1: nn.Linear }>;
  set classifier(value: nn.Sequential);
}

export class MNASNet extends Module {
  layers: nn.Sequential;
  readonly alpha: number;
  readonly numClasses: number;

  constructor(alpha: number, options: MNASNetOptions = {}) {
    super();
    checkKeywords('MNASNet', options, MNASNET_KEYS);
    const { numClasses = 1000, dropout = 0.2 } = options;
    if (alpha <= 0) throw new ValueError(`alpha should be greater than 0.0 instead of ${alpha}`);
    this.alpha = alpha;
    this.numClasses = numClasses;
    const depths = getDepths(alpha);
    const bn = (c: number) => new nn.BatchNorm2d(c, { momentum: BN_MOMENTUM });
    this.layers = new nn.Sequential(
      // first layer: a regular conv
      new nn.Conv2d(3, depths[0], 3, { padding: 1, stride: 2, bias: false }),
      bn(depths[0]),
      new nn.ReLU({ inplace: true }),
      // depthwise separable, no skip
      new nn.Conv2d(depths[0], depths[0], 3, { padding: 1, stride: 1, groups: depths[0], bias: false }),
      bn(depths[0]),
      new nn.ReLU({ inplace: true }),
      new nn.Conv2d(depths[0], depths[1], 1, { padding: 0, stride: 1, bias: false }),
      bn(depths[1]),
      // MNASNet blocks: stacks of inverted residuals
      stack(depths[1], depths[2], 3, 2, 3, 3, BN_MOMENTUM),
      stack(depths[2], depths[3], 5, 2, 3, 3, BN_MOMENTUM),
      stack(depths[3], depths[4], 5, 2, 6, 3, BN_MOMENTUM),
      stack(depths[4], depths[5], 3, 1, 6, 2, BN_MOMENTUM),
      stack(depths[5], depths[6], 5, 2, 6, 4, BN_MOMENTUM),
      stack(depths[6], depths[7], 3, 1, 6, 1, BN_MOMENTUM),
      // final mapping to the classifier's input
      new nn.Conv2d(depths[7], 1280, 1, { padding: 0, stride: 1, bias: false }),
      bn(1280),
      new nn.ReLU({ inplace: true }),
    );
    this.classifier = seq(new nn.Sequential(new nn.Dropout({ p: dropout, inplace: true }), new nn.Linear(1280, numClasses)));
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
        if (m.bias) nn.init.zeros_(m.bias);
      } else if (m instanceof nn.BatchNorm2d) {
        nn.init.ones_(m.weight!);
        nn.init.zeros_(m.bias!);
      } else if (m instanceof nn.Linear) {
        nn.init.kaimingUniform_(m.weight, { mode: 'fan_out', nonlinearity: 'sigmoid' });
        nn.init.zeros_(m.bias!);
      }
    }
  }

  forward(x: Tensor): Tensor {
    const features = chain(x, [this.layers]) as Tensor;
    const pooled = features.mean([2, 3]); // global average pool without the H and W dimensions
    release(features, x, pooled);
    return this.classifier(pooled) as Tensor;
  }

  /**
   * torchvision's versioned loading: a version 1 checkpoint of a model with alpha != 1 gets the
   * fixed stem it was trained with (then the model is version 1), with torchvision's warning. The
   * version comes from the state_dict's _metadata (torch.save of Python's state_dict, or this
   * library's); a dict without one (safetensors, hand-built), where torchvision raises ValueError,
   * is version 1 when its stem has version 1's shapes and this model's has others.
   */
  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[], localMetadata: LocalMetadata = {}): void {
    const version = localMetadata.version;
    if (version !== undefined && version !== 1 && version !== 2) throw new ValueError(`version shluld be set to 1 or 2 instead of ${String(version)}`);
    const v1 = version === undefined ? this.hasVersion1Stem(stateDict, prefix) : version === 1;
    if (v1 && this.alpha !== 1) {
      v1Stem(getDepths(this.alpha)).forEach((layer, idx) => {
        this.layers[idx] = layer;
      });
      this._version = 1;
      warn(V1_WARNING);
    }
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }

  private hasVersion1Stem(stateDict: Map<string, unknown>, prefix: string): boolean {
    const outChannels = (key: string): number | undefined => {
      const t = stateDict.get(`${prefix}layers.${key}.weight`);
      return t instanceof Tensor ? t.shape[0] : undefined;
    };
    const depths = getDepths(this.alpha);
    const stemIsV1 = outChannels('0') === 32 && outChannels('6') === 16;
    const modelIsV1 = (this.layers[0] as nn.Conv2d).outChannels === 32 && (this.layers[6] as nn.Conv2d).outChannels === 16;
    return stemIsV1 && !modelIsV1 && (depths[0] !== 32 || depths[1] !== 16);
  }
}

// torchvision's current checkpoint format (1: the fixed-stem one, set on a model that loaded it)
MNASNet.prototype._version = 2;

export const MNASNet0_5_Weights = WEIGHTS.MNASNet0_5_Weights;
export const MNASNet0_75_Weights = WEIGHTS.MNASNet0_75_Weights;
export const MNASNet1_0_Weights = WEIGHTS.MNASNet1_0_Weights;
export const MNASNet1_3_Weights = WEIGHTS.MNASNet1_3_Weights;

export type MNASNetBuilderOptions = BuilderOptions & Omit<MNASNetOptions, 'numClasses'>;
const MNASNET_BUILDER_KEYS = builderKeys<MNASNetBuilderOptions>()('dropout');

function mnasnet(fn: string, enumName: keyof typeof WEIGHTS, alpha: number, o: MNASNetBuilderOptions): MNASNet {
  return build(fn, enumName, MNASNET_BUILDER_KEYS, o, (numClasses, rest) => new MNASNet(alpha, { ...rest, numClasses }));
}

export const mnasnet0_5 = (o: MNASNetBuilderOptions = {}) => mnasnet('mnasnet0_5', 'MNASNet0_5_Weights', 0.5, o);
export const mnasnet0_75 = (o: MNASNetBuilderOptions = {}) => mnasnet('mnasnet0_75', 'MNASNet0_75_Weights', 0.75, o);
export const mnasnet1_0 = (o: MNASNetBuilderOptions = {}) => mnasnet('mnasnet1_0', 'MNASNet1_0_Weights', 1.0, o);
export const mnasnet1_3 = (o: MNASNetBuilderOptions = {}) => mnasnet('mnasnet1_3', 'MNASNet1_3_Weights', 1.3, o);
