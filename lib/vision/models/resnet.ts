// torchvision.models.resnet: ResNet-18/34/50/101/152, ResNeXt-50 32x4d, ResNeXt-101 32x8d and 64x4d,
// Wide ResNet-50-2 and -101-2, with
// torchvision's module names (state_dict keys), options and initialisation order.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { chain, release } from '../../nn/intermediates';
import { NormLayer, batchNorm2d } from './ops';
import { WEIGHTS } from './weights';
import { BuilderOptions, build } from './builder';
import { checkKeywords, keysOf } from '../../keywords';

function conv3x3(inPlanes: number, outPlanes: number, stride = 1, groups = 1, dilation = 1): nn.Conv2d {
  return new nn.Conv2d(inPlanes, outPlanes, 3, { stride, padding: dilation, groups, bias: false, dilation });
}

function conv1x1(inPlanes: number, outPlanes: number, stride = 1): nn.Conv2d {
  return new nn.Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });
}

interface BlockArgs {
  stride?: number;
  downsample?: Module | null;
  groups?: number;
  baseWidth?: number;
  dilation?: number;
  normLayer?: NormLayer;
}
const BLOCK_KEYS = keysOf<BlockArgs>()('stride', 'downsample', 'groups', 'baseWidth', 'dilation', 'normLayer');

/** relu(out + identity), identity being x or downsample(x); frees the downsampled copy after the add. */
export function residual(x: Tensor, out: Tensor, downsample: Module | null, relu: Module): Tensor {
  const identity = downsample ? (downsample(x) as Tensor) : x;
  out.add_(identity);
  release(identity, x, out);
  return relu(out) as Tensor;
}

export class BasicBlock extends Module {
  static readonly expansion = 1;
  conv1: nn.Conv2d;
  bn1: Module;
  relu: nn.ReLU;
  conv2: nn.Conv2d;
  bn2: Module;
  downsample: Module | null;
  readonly stride: number;

  constructor(inplanes: number, planes: number, args: BlockArgs = {}) {
    super();
    checkKeywords('BasicBlock', args, BLOCK_KEYS);
    const { stride = 1, downsample = null, groups = 1, baseWidth = 64, dilation = 1, normLayer = batchNorm2d() } = args;
    if (groups !== 1 || baseWidth !== 64) throw new TorchError('BasicBlock only supports groups=1 and base_width=64');
    if (dilation > 1) throw new TorchError('Dilation > 1 not supported in BasicBlock');
    this.conv1 = conv3x3(inplanes, planes, stride);
    this.bn1 = normLayer(planes);
    this.relu = new nn.ReLU({ inplace: true });
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = normLayer(planes);
    this.downsample = downsample;
    this.stride = stride;
  }

  forward(x: Tensor): Tensor {
    return residual(x, chain(x, [this.conv1, this.bn1, this.relu, this.conv2, this.bn2]) as Tensor, this.downsample, this.relu);
  }
}

export class Bottleneck extends Module {
  static readonly expansion = 4;
  conv1: nn.Conv2d;
  bn1: Module;
  conv2: nn.Conv2d;
  bn2: Module;
  conv3: nn.Conv2d;
  bn3: Module;
  relu: nn.ReLU;
  downsample: Module | null;
  readonly stride: number;

  constructor(inplanes: number, planes: number, args: BlockArgs = {}) {
    super();
    checkKeywords('Bottleneck', args, BLOCK_KEYS);
    const { stride = 1, downsample = null, groups = 1, baseWidth = 64, dilation = 1, normLayer = batchNorm2d() } = args;
    const width = Math.trunc(planes * (baseWidth / 64)) * groups;
    this.conv1 = conv1x1(inplanes, width);
    this.bn1 = normLayer(width);
    this.conv2 = conv3x3(width, width, stride, groups, dilation);
    this.bn2 = normLayer(width);
    this.conv3 = conv1x1(width, planes * Bottleneck.expansion);
    this.bn3 = normLayer(planes * Bottleneck.expansion);
    this.relu = new nn.ReLU({ inplace: true });
    this.downsample = downsample;
    this.stride = stride;
  }

  forward(x: Tensor): Tensor {
    const out = chain(x, [this.conv1, this.bn1, this.relu, this.conv2, this.bn2, this.relu, this.conv3, this.bn3]) as Tensor;
    return residual(x, out, this.downsample, this.relu);
  }
}

export type ResNetBlock = typeof BasicBlock | typeof Bottleneck;

export interface ResNetOptions {
  numClasses?: number;
  zeroInitResidual?: boolean;
  groups?: number;
  widthPerGroup?: number;
  replaceStrideWithDilation?: [boolean, boolean, boolean] | null;
  normLayer?: NormLayer;
}
const RESNET_KEYS = keysOf<ResNetOptions>()('numClasses', 'zeroInitResidual', 'groups', 'widthPerGroup', 'replaceStrideWithDilation', 'normLayer');

export class ResNet extends Module {
  conv1: nn.Conv2d;
  bn1: Module;
  relu: nn.ReLU;
  maxpool: nn.MaxPool2d;
  layer1: nn.Sequential;
  layer2: nn.Sequential;
  layer3: nn.Sequential;
  layer4: nn.Sequential;
  avgpool: nn.AdaptiveAvgPool2d;
  fc: nn.Linear;
  inplanes = 64;
  dilation = 1;
  readonly groups: number;
  readonly baseWidth: number;
  private readonly normLayer: NormLayer;

  constructor(block: ResNetBlock, layers: [number, number, number, number], options: ResNetOptions = {}) {
    super();
    checkKeywords('ResNet', options, RESNET_KEYS);
    const { numClasses = 1000, zeroInitResidual = false, groups = 1, widthPerGroup = 64, normLayer = batchNorm2d() } = options;
    const dilate = options.replaceStrideWithDilation ?? [false, false, false];
    if (dilate.length !== 3) throw new TorchError(`replace_stride_with_dilation should be None or a 3-element tuple, got ${dilate}`);
    this.normLayer = normLayer;
    this.groups = groups;
    this.baseWidth = widthPerGroup;
    this.conv1 = new nn.Conv2d(3, this.inplanes, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = normLayer(this.inplanes);
    this.relu = new nn.ReLU({ inplace: true });
    this.maxpool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
    this.layer1 = this.makeLayer(block, 64, layers[0]);
    this.layer2 = this.makeLayer(block, 128, layers[1], 2, dilate[0]);
    this.layer3 = this.makeLayer(block, 256, layers[2], 2, dilate[1]);
    this.layer4 = this.makeLayer(block, 512, layers[3], 2, dilate[2]);
    this.avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
    this.fc = new nn.Linear(512 * block.expansion, numClasses);

    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      else if (m instanceof nn.BatchNorm2d || m instanceof nn.GroupNorm) {
        nn.init.constant_(m.weight!, 1);
        nn.init.constant_(m.bias!, 0);
      }
    }
    if (zeroInitResidual) {
      for (const m of this.modules()) {
        const last = m instanceof Bottleneck ? m.bn3 : m instanceof BasicBlock ? m.bn2 : null;
        const weight = (last as { weight?: Tensor | null } | null)?.weight;
        if (weight) nn.init.constant_(weight, 0);
      }
    }
  }

  private makeLayer(block: ResNetBlock, planes: number, blocks: number, stride = 1, dilate = false): nn.Sequential {
    const normLayer = this.normLayer;
    let downsample: Module | null = null;
    const previousDilation = this.dilation;
    if (dilate) {
      this.dilation *= stride;
      stride = 1;
    }
    if (stride !== 1 || this.inplanes !== planes * block.expansion) {
      downsample = new nn.Sequential(conv1x1(this.inplanes, planes * block.expansion, stride), normLayer(planes * block.expansion));
    }
    const common = { groups: this.groups, baseWidth: this.baseWidth, normLayer };
    const layers: Module[] = [new block(this.inplanes, planes, { stride, downsample, dilation: previousDilation, ...common })];
    this.inplanes = planes * block.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new block(this.inplanes, planes, { dilation: this.dilation, ...common }));
    return new nn.Sequential(...layers);
  }

  forward(x: Tensor): Tensor {
    const stem = [this.conv1, this.bn1, this.relu, this.maxpool];
    const features = chain(x, [...stem, this.layer1, this.layer2, this.layer3, this.layer4, this.avgpool]) as Tensor;
    return this.fc(features.flatten(1));
  }
}

export type ResNetBuilderOptions = ResNetOptions & BuilderOptions;

function resnet(fn: string, enumName: keyof typeof WEIGHTS, block: ResNetBlock, layers: [number, number, number, number], fixed: ResNetOptions, options: ResNetBuilderOptions): ResNet {
  for (const k of Object.keys(fixed) as (keyof ResNetOptions)[]) {
    if (options[k] !== undefined && options[k] !== fixed[k]) throw new TorchError(`The parameter '${k}' expected value ${fixed[k]} but got ${options[k]} instead.`);
  }
  return build(fn, enumName, RESNET_KEYS, options, (numClasses, rest) => new ResNet(block, layers, { ...rest, ...fixed, numClasses }));
}

export const ResNet18_Weights = WEIGHTS.ResNet18_Weights;
export const ResNet34_Weights = WEIGHTS.ResNet34_Weights;
export const ResNet50_Weights = WEIGHTS.ResNet50_Weights;
export const ResNet101_Weights = WEIGHTS.ResNet101_Weights;
export const ResNet152_Weights = WEIGHTS.ResNet152_Weights;
export const ResNeXt50_32X4D_Weights = WEIGHTS.ResNeXt50_32X4D_Weights;
export const ResNeXt101_32X8D_Weights = WEIGHTS.ResNeXt101_32X8D_Weights;
export const ResNeXt101_64X4D_Weights = WEIGHTS.ResNeXt101_64X4D_Weights;
export const Wide_ResNet50_2_Weights = WEIGHTS.Wide_ResNet50_2_Weights;
export const Wide_ResNet101_2_Weights = WEIGHTS.Wide_ResNet101_2_Weights;

export const resnet18 = (o: ResNetBuilderOptions = {}) => resnet('resnet18', 'ResNet18_Weights', BasicBlock, [2, 2, 2, 2], {}, o);
export const resnet34 = (o: ResNetBuilderOptions = {}) => resnet('resnet34', 'ResNet34_Weights', BasicBlock, [3, 4, 6, 3], {}, o);
export const resnet50 = (o: ResNetBuilderOptions = {}) => resnet('resnet50', 'ResNet50_Weights', Bottleneck, [3, 4, 6, 3], {}, o);
export const resnet101 = (o: ResNetBuilderOptions = {}) => resnet('resnet101', 'ResNet101_Weights', Bottleneck, [3, 4, 23, 3], {}, o);
export const resnet152 = (o: ResNetBuilderOptions = {}) => resnet('resnet152', 'ResNet152_Weights', Bottleneck, [3, 8, 36, 3], {}, o);
export const resnext50_32x4d = (o: ResNetBuilderOptions = {}) => resnet('resnext50_32x4d', 'ResNeXt50_32X4D_Weights', Bottleneck, [3, 4, 6, 3], { groups: 32, widthPerGroup: 4 }, o);
export const resnext101_32x8d = (o: ResNetBuilderOptions = {}) => resnet('resnext101_32x8d', 'ResNeXt101_32X8D_Weights', Bottleneck, [3, 4, 23, 3], { groups: 32, widthPerGroup: 8 }, o);
export const resnext101_64x4d = (o: ResNetBuilderOptions = {}) => resnet('resnext101_64x4d', 'ResNeXt101_64X4D_Weights', Bottleneck, [3, 4, 23, 3], { groups: 64, widthPerGroup: 4 }, o);
export const wide_resnet50_2 = (o: ResNetBuilderOptions = {}) => resnet('wide_resnet50_2', 'Wide_ResNet50_2_Weights', Bottleneck, [3, 4, 6, 3], { widthPerGroup: 128 }, o);
export const wide_resnet101_2 = (o: ResNetBuilderOptions = {}) => resnet('wide_resnet101_2', 'Wide_ResNet101_2_Weights', Bottleneck, [3, 4, 23, 3], { widthPerGroup: 128 }, o);
