// torchvision.models.video.resnet: VideoResNet and its parts (the 3-D convolutions, blocks and
// stems) for r3d_18, mc3_18 and r2plus1d_18, with torchvision's module names and initialisation.
import { TorchError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { chain, release } from '../../../nn/intermediates';
import { residual } from '../resnet';
import { ArgsOf, signature } from '../../../keywords';
import { VideoBuilderOptions, buildVideo } from './video-builder';

type Stride3 = [number, number, number];

interface ConvBuilderArgs {
  inPlanes: number;
  outPlanes: number;
  midplanes?: number | null;
  stride?: number;
  padding?: number;
}
const CONV_BUILDER = signature<ConvBuilderArgs>()(['inPlanes', 'outPlanes'], ['midplanes', 'stride', 'padding']);
const CONV_2PLUS1D = signature<ConvBuilderArgs>()(['inPlanes', 'outPlanes', 'midplanes'], ['stride', 'padding']);

/** A full 3x3x3 convolution (R3D's). */
export class Conv3DSimple extends nn.Conv3d {
  constructor(...args: ArgsOf<typeof CONV_BUILDER>) {
    const { inPlanes, outPlanes, stride = 1, padding = 1 } = CONV_BUILDER.bind('Conv3DSimple', args);
    super(inPlanes, outPlanes, [3, 3, 3], { stride, padding, bias: false });
  }

  static getDownsampleStride(stride: number): Stride3 {
    return [stride, stride, stride];
  }
}

/** A 1x3x3 spatial convolution to midplanes, BatchNorm, ReLU, then a 3x1x1 temporal one: R(2+1)D's. */
export class Conv2Plus1D extends nn.Sequential {
  constructor(...args: ArgsOf<typeof CONV_2PLUS1D>) {
    const { inPlanes, outPlanes, midplanes, stride = 1, padding = 1 } = CONV_2PLUS1D.bind('Conv2Plus1D', args);
    super(
      new nn.Conv3d(inPlanes, midplanes!, [1, 3, 3], { stride: [1, stride, stride], padding: [0, padding, padding], bias: false }),
      new nn.BatchNorm3d(midplanes!),
      new nn.ReLU({ inplace: true }),
      new nn.Conv3d(midplanes!, outPlanes, [3, 1, 1], { stride: [stride, 1, 1], padding: [padding, 0, 0], bias: false }),
    );
  }

  static getDownsampleStride(stride: number): Stride3 {
    return [stride, stride, stride];
  }
}

/** A 1x3x3 convolution, no temporal extent (MC3's upper layers): it keeps the clip's length. */
export class Conv3DNoTemporal extends nn.Conv3d {
  constructor(...args: ArgsOf<typeof CONV_BUILDER>) {
    const { inPlanes, outPlanes, stride = 1, padding = 1 } = CONV_BUILDER.bind('Conv3DNoTemporal', args);
    super(inPlanes, outPlanes, [1, 3, 3], { stride: [1, stride, stride], padding: [0, padding, padding], bias: false });
  }

  static getDownsampleStride(stride: number): Stride3 {
    return [1, stride, stride];
  }
}

/** One of the three convolution classes (torchvision's conv_builder / conv_makers entries). */
export interface ConvBuilder {
  new (inPlanes: number, outPlanes: number, midplanes: number): Module;
  new (inPlanes: number, outPlanes: number, midplanes: number, stride: number): Module;
  getDownsampleStride(stride: number): Stride3;
}

interface BlockArgs {
  inplanes: number;
  planes: number;
  convBuilder: ConvBuilder;
  stride?: number;
  downsample?: Module | null;
}
const BLOCK = signature<BlockArgs>()(['inplanes', 'planes', 'convBuilder'], ['stride', 'downsample']);

/** What Conv2Plus1D's middle width is: the (2+1)D factorisation keeps the 3x3x3 conv's parameter count. */
const midplanesOf = (inplanes: number, planes: number) => Math.floor((inplanes * planes * 27) / (inplanes * 9 + 3 * planes));

export class BasicBlock extends Module {
  static readonly expansion = 1;
  conv1: nn.Sequential;
  conv2: nn.Sequential;
  relu: nn.ReLU;
  downsample: Module | null;
  readonly stride: number;

  constructor(...args: ArgsOf<typeof BLOCK>) {
    super();
    const { inplanes, planes, convBuilder, stride = 1, downsample = null } = BLOCK.bind('BasicBlock', args);
    const midplanes = midplanesOf(inplanes, planes);
    this.conv1 = new nn.Sequential(new convBuilder(inplanes, planes, midplanes, stride), new nn.BatchNorm3d(planes), new nn.ReLU({ inplace: true }));
    this.conv2 = new nn.Sequential(new convBuilder(planes, planes, midplanes), new nn.BatchNorm3d(planes));
    this.relu = new nn.ReLU({ inplace: true });
    this.downsample = downsample;
    this.stride = stride;
  }

  forward(x: Tensor): Tensor {
    return residual(x, chain(x, [this.conv1, this.conv2]) as Tensor, this.downsample, this.relu);
  }
}

export class Bottleneck extends Module {
  static readonly expansion = 4;
  conv1: nn.Sequential;
  conv2: nn.Sequential;
  conv3: nn.Sequential;
  relu: nn.ReLU;
  downsample: Module | null;
  readonly stride: number;

  constructor(...args: ArgsOf<typeof BLOCK>) {
    super();
    const { inplanes, planes, convBuilder, stride = 1, downsample = null } = BLOCK.bind('Bottleneck', args);
    const midplanes = midplanesOf(inplanes, planes);
    const out = planes * Bottleneck.expansion;
    this.conv1 = new nn.Sequential(new nn.Conv3d(inplanes, planes, 1, { bias: false }), new nn.BatchNorm3d(planes), new nn.ReLU({ inplace: true }));
    this.conv2 = new nn.Sequential(new convBuilder(planes, planes, midplanes, stride), new nn.BatchNorm3d(planes), new nn.ReLU({ inplace: true }));
    this.conv3 = new nn.Sequential(new nn.Conv3d(planes, out, 1, { bias: false }), new nn.BatchNorm3d(out));
    this.relu = new nn.ReLU({ inplace: true });
    this.downsample = downsample;
    this.stride = stride;
  }

  forward(x: Tensor): Tensor {
    return residual(x, chain(x, [this.conv1, this.conv2, this.conv3]) as Tensor, this.downsample, this.relu);
  }
}

/** The default stem: a 3x7x7 conv (spatial stride 2), BatchNorm, ReLU. */
export class BasicStem extends nn.Sequential {
  constructor() {
    super(
      new nn.Conv3d(3, 64, [3, 7, 7], { stride: [1, 2, 2], padding: [1, 3, 3], bias: false }),
      new nn.BatchNorm3d(64),
      new nn.ReLU({ inplace: true }),
    );
  }
}

/** R(2+1)D's stem: the 3x7x7 conv factored into a 1x7x7 spatial and a 3x1x1 temporal one. */
export class R2Plus1dStem extends nn.Sequential {
  constructor() {
    super(
      new nn.Conv3d(3, 45, [1, 7, 7], { stride: [1, 2, 2], padding: [0, 3, 3], bias: false }),
      new nn.BatchNorm3d(45),
      new nn.ReLU({ inplace: true }),
      new nn.Conv3d(45, 64, [3, 1, 1], { stride: [1, 1, 1], padding: [1, 0, 0], bias: false }),
      new nn.BatchNorm3d(64),
      new nn.ReLU({ inplace: true }),
    );
  }
}

export type VideoResNetBlock = typeof BasicBlock | typeof Bottleneck;

export interface VideoResNetArgs {
  block: VideoResNetBlock;
  convMakers: readonly ConvBuilder[];
  layers: readonly number[];
  /** a Module class (BasicStem) or a factory: torchvision calls stem() */
  stem: (new () => Module) | (() => Module);
  numClasses?: number;
  zeroInitResidual?: boolean;
}
const VIDEO_RESNET = signature<VideoResNetArgs>()(['block', 'convMakers', 'layers', 'stem'], ['numClasses', 'zeroInitResidual']);
export const VIDEO_RESNET_KEYS: readonly string[] = ['numClasses', 'zeroInitResidual'];

/** A stem given as a class (BasicStem) or as a factory. */
const makeStem = (stem: VideoResNetArgs['stem']): Module =>
  stem.prototype instanceof Module ? new (stem as new () => Module)() : (stem as () => Module)();

export class VideoResNet extends Module {
  inplanes = 64;
  stem: Module;
  layer1: nn.Sequential;
  layer2: nn.Sequential;
  layer3: nn.Sequential;
  layer4: nn.Sequential;
  avgpool: nn.AdaptiveAvgPool3d;
  fc: nn.Linear;

  constructor(...args: ArgsOf<typeof VIDEO_RESNET>) {
    super();
    const { block, convMakers, layers, stem, numClasses = 400, zeroInitResidual = false } = VIDEO_RESNET.bind('VideoResNet', args);
    this.stem = makeStem(stem);
    this.layer1 = this.makeLayer(block, convMakers[0], 64, layers[0], 1);
    this.layer2 = this.makeLayer(block, convMakers[1], 128, layers[1], 2);
    this.layer3 = this.makeLayer(block, convMakers[2], 256, layers[2], 2);
    this.layer4 = this.makeLayer(block, convMakers[3], 512, layers[3], 2);
    this.avgpool = new nn.AdaptiveAvgPool3d([1, 1, 1]);
    this.fc = new nn.Linear(512 * block.expansion, numClasses);

    for (const m of this.modules()) {
      if (m instanceof nn.Conv3d) {
        nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
        if (m.bias) nn.init.constant_(m.bias, 0);
      } else if (m instanceof nn.BatchNorm3d) {
        nn.init.constant_(m.weight!, 1);
        nn.init.constant_(m.bias!, 0);
      } else if (m instanceof nn.Linear) {
        nn.init.normal_(m.weight, 0, 0.01);
        nn.init.constant_(m.bias!, 0);
      }
    }
    if (zeroInitResidual) {
      // torchvision 0.14 looks for a bn3 its video Bottleneck does not have (it is conv3[1])
      for (const m of this.modules()) if (m instanceof Bottleneck) throw new TorchError("'Bottleneck' object has no attribute 'bn3'");
    }
  }

  private makeLayer(block: VideoResNetBlock, convBuilder: ConvBuilder, planes: number, blocks: number, stride: number): nn.Sequential {
    let downsample: Module | null = null;
    if (stride !== 1 || this.inplanes !== planes * block.expansion) {
      const dsStride = convBuilder.getDownsampleStride(stride);
      downsample = new nn.Sequential(
        new nn.Conv3d(this.inplanes, planes * block.expansion, 1, { stride: dsStride, bias: false }),
        new nn.BatchNorm3d(planes * block.expansion),
      );
    }
    const layers: Module[] = [new block(this.inplanes, planes, convBuilder, stride, downsample)];
    this.inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new block(this.inplanes, planes, convBuilder));
    return new nn.Sequential(...layers);
  }

  forward(x: Tensor): Tensor {
    const pooled = chain(x, [this.stem, this.layer1, this.layer2, this.layer3, this.layer4, this.avgpool]) as Tensor;
    const flat = pooled.flatten(1);
    release(pooled, x, flat);
    return this.fc(flat);
  }
}

export type VideoResNetBuilderOptions = VideoBuilderOptions & { zeroInitResidual?: boolean };

function videoResnet(fn: string, enumName: 'R3D_18_Weights' | 'MC3_18_Weights' | 'R2Plus1D_18_Weights', convMakers: ConvBuilder[], stem: new () => Module, options: VideoResNetBuilderOptions): VideoResNet {
  return buildVideo(fn, enumName, VIDEO_RESNET_KEYS, options, (numClasses, rest) =>
    new VideoResNet(BasicBlock, convMakers, [2, 2, 2, 2], stem, { ...rest, numClasses }),
  );
}

/** torchvision's r3d_18: 3x3x3 convolutions throughout. */
export const r3d18 = (o: VideoResNetBuilderOptions = {}) => videoResnet('r3d_18', 'R3D_18_Weights', Array(4).fill(Conv3DSimple), BasicStem, o);
/** torchvision's mc3_18: 3x3x3 convolutions in layer1, 1x3x3 after. */
export const mc3_18 = (o: VideoResNetBuilderOptions = {}) => videoResnet('mc3_18', 'MC3_18_Weights', [Conv3DSimple, Conv3DNoTemporal, Conv3DNoTemporal, Conv3DNoTemporal], BasicStem, o);
/** torchvision's r2plus1d_18: (2+1)D convolutions and stem. */
export const r2plus1d18 = (o: VideoResNetBuilderOptions = {}) => videoResnet('r2plus1d_18', 'R2Plus1D_18_Weights', Array(4).fill(Conv2Plus1D), R2Plus1dStem, o);
