// torchvision.models.quantization.resnet: QuantizableResNet (QuantStub -> ResNet -> DeQuantStub) with
// blocks whose residual add (and its ReLU) is a FloatFunctional, so that convert can quantize it;
// builders resnet18, resnet50, resnext101_32x8d and resnext101_64x4d with `quantize` and `backend`.
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../../nn/module';
import { ReLU } from '../../../nn/layers/activation';
import { FloatFunctional } from '../../../nn/quantized/functional-modules';
import { QuantStub, DeQuantStub } from '../../../ao/quantization/stubs';
import { BasicBlock, Bottleneck, ResNet, ResNetOptions } from '../resnet';
import { WEIGHTS, loadWeights } from '../weights';
import { keysOf } from '../../../keywords';
import { overwrite } from '../builder';
import { QUANTIZED_WEIGHTS } from './weights';
import { QuantizedBuilderOptions, planQuantized } from './builder';
import { fuseModulesOf, quantizeModel, replaceRelu } from './utils';

type BlockArgs = ConstructorParameters<typeof BasicBlock>[2];

export class QuantizableBasicBlock extends BasicBlock {
  /** relu(out + identity) in one op; QFunctional after convert */
  add_relu: Module & Pick<FloatFunctional, 'addRelu'>;

  constructor(inplanes: number, planes: number, args: BlockArgs = {}) {
    super(inplanes, planes, args);
    this.add_relu = new FloatFunctional();
  }

  forward(x: Tensor): Tensor {
    let out = this.relu(this.bn1(this.conv1(x)) as Tensor) as Tensor;
    out = this.bn2(this.conv2(out)) as Tensor;
    const identity = this.downsample ? (this.downsample(x) as Tensor) : x;
    return this.add_relu.addRelu(out, identity);
  }

  /** Fuses conv1+bn1+relu, conv2+bn2 and the downsample's conv+bn (QAT fusion when isQat, default: training). */
  fuseModel(isQat: boolean | null = null): void {
    fuseModulesOf(this, [['conv1', 'bn1', 'relu'], ['conv2', 'bn2']], isQat);
    if (this.downsample) fuseModulesOf(this.downsample, ['0', '1'], isQat);
  }
}

export class QuantizableBottleneck extends Bottleneck {
  skip_add_relu: Module & Pick<FloatFunctional, 'addRelu'>;
  relu1: Module;
  relu2: Module;

  constructor(inplanes: number, planes: number, args: BlockArgs = {}) {
    super(inplanes, planes, args);
    this.skip_add_relu = new FloatFunctional();
    this.relu1 = new ReLU({ inplace: false });
    this.relu2 = new ReLU({ inplace: false });
  }

  forward(x: Tensor): Tensor {
    let out = this.relu1(this.bn1(this.conv1(x)) as Tensor) as Tensor;
    out = this.relu2(this.bn2(this.conv2(out)) as Tensor) as Tensor;
    out = this.bn3(this.conv3(out)) as Tensor;
    const identity = this.downsample ? (this.downsample(x) as Tensor) : x;
    return this.skip_add_relu.addRelu(out, identity);
  }

  /** Fuses conv1+bn1+relu1, conv2+bn2+relu2, conv3+bn3 and the downsample's conv+bn. */
  fuseModel(isQat: boolean | null = null): void {
    fuseModulesOf(this, [['conv1', 'bn1', 'relu1'], ['conv2', 'bn2', 'relu2'], ['conv3', 'bn3']], isQat);
    if (this.downsample) fuseModulesOf(this.downsample, ['0', '1'], isQat);
  }
}

export class QuantizableResNet extends ResNet {
  quant: Module;
  dequant: Module;

  constructor(block: typeof QuantizableBasicBlock | typeof QuantizableBottleneck, layers: [number, number, number, number], options: ResNetOptions = {}) {
    super(block, layers, options);
    this.quant = new QuantStub();
    this.dequant = new DeQuantStub();
  }

  forward(x: Tensor): Tensor {
    return this.dequant(super.forward(this.quant(x) as Tensor)) as Tensor;
  }

  /** Fuses the stem's conv1+bn1+relu and every block's layers, in place; numerics stay float. */
  fuseModel(isQat: boolean | null = null): void {
    fuseModulesOf(this, ['conv1', 'bn1', 'relu'], isQat);
    for (const m of this.modules()) {
      if (m.constructor === QuantizableBottleneck || m.constructor === QuantizableBasicBlock) (m as QuantizableBasicBlock).fuseModel(isQat);
    }
  }
}

export type QuantizableResNetBuilderOptions = Omit<ResNetOptions, 'numClasses'> & QuantizedBuilderOptions;
const RESNET_KEYS = keysOf<Omit<ResNetOptions, 'numClasses'>>()('zeroInitResidual', 'groups', 'widthPerGroup', 'replaceStrideWithDilation', 'normLayer');

type FloatEnumName = keyof typeof WEIGHTS;
type QuantEnumName = keyof typeof QUANTIZED_WEIGHTS;

function quantizableResnet(
  fn: string,
  floatEnum: FloatEnumName,
  quantEnum: QuantEnumName,
  block: typeof QuantizableBasicBlock | typeof QuantizableBottleneck,
  layers: [number, number, number, number],
  fixed: { groups?: number; widthPerGroup?: number },
  options: QuantizableResNetBuilderOptions,
): QuantizableResNet {
  const plan = planQuantized(fn, WEIGHTS[floatEnum], QUANTIZED_WEIGHTS[quantEnum], 'IMAGENET1K_FBGEMM_V1', 'fbgemm', RESNET_KEYS, options);
  if (fixed.groups !== undefined) overwrite(options as Record<string, unknown>, 'groups', 'groups', fixed.groups);
  if (fixed.widthPerGroup !== undefined) overwrite(options as Record<string, unknown>, 'widthPerGroup', 'width_per_group', fixed.widthPerGroup);
  const model = new QuantizableResNet(block, layers, { ...plan.rest, ...fixed, numClasses: plan.numClasses });
  replaceRelu(model);
  if (plan.quantize) quantizeModel(model, plan.backend);
  return loadWeights(model, plan.weights);
}

export const ResNet18_QuantizedWeights = QUANTIZED_WEIGHTS.ResNet18_QuantizedWeights;
export const ResNet50_QuantizedWeights = QUANTIZED_WEIGHTS.ResNet50_QuantizedWeights;
export const ResNeXt101_32X8D_QuantizedWeights = QUANTIZED_WEIGHTS.ResNeXt101_32X8D_QuantizedWeights;
export const ResNeXt101_64X4D_QuantizedWeights = QUANTIZED_WEIGHTS.ResNeXt101_64X4D_QuantizedWeights;

type Opts = QuantizableResNetBuilderOptions;
/** quantization.resnet18({ weights, progress, quantize = false, backend = 'fbgemm', ...ResNet options }) */
export const resnet18 = (o: Opts = {}) => quantizableResnet('resnet18', 'ResNet18_Weights', 'ResNet18_QuantizedWeights', QuantizableBasicBlock, [2, 2, 2, 2], {}, o);
export const resnet50 = (o: Opts = {}) => quantizableResnet('resnet50', 'ResNet50_Weights', 'ResNet50_QuantizedWeights', QuantizableBottleneck, [3, 4, 6, 3], {}, o);
export const resnext101_32x8d = (o: Opts = {}) =>
  quantizableResnet('resnext101_32x8d', 'ResNeXt101_32X8D_Weights', 'ResNeXt101_32X8D_QuantizedWeights', QuantizableBottleneck, [3, 4, 23, 3], { groups: 32, widthPerGroup: 8 }, o);
export const resnext101_64x4d = (o: Opts = {}) =>
  quantizableResnet('resnext101_64x4d', 'ResNeXt101_64X4D_Weights', 'ResNeXt101_64X4D_QuantizedWeights', QuantizableBottleneck, [3, 4, 23, 3], { groups: 64, widthPerGroup: 4 }, o);
