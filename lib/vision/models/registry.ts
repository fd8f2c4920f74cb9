// torchvision.models' by-name API: builders under torchvision's registered (snake_case) names,
// getModel, getModelBuilder, listModels, getWeight.
import { Module } from '../../nn/module';
import { ValueError } from '../../errors';
import { WEIGHTS, Weights, WeightsEnum } from './weights';
import { WEIGHTS_DATA, DETECTION_WEIGHTS_DATA, OPTICAL_FLOW_WEIGHTS_DATA, VIDEO_WEIGHTS_DATA } from './weights-data';
import { QUANTIZED_WEIGHTS_DATA } from './quantization/weights-data';
import { alexnet } from './alexnet';
import { convnextTiny, convnextSmall, convnextBase, convnextLarge } from './convnext';
import { densenet121, densenet161, densenet169, densenet201 } from './densenet';
import { efficientnetB0, efficientnetB1, efficientnetB2, efficientnetB3, efficientnetB4, efficientnetB5, efficientnetB6, efficientnetB7, efficientnetV2S, efficientnetV2M, efficientnetV2L } from './efficientnet';
import { googlenet } from './googlenet';
import { inceptionV3 } from './inception';
import { mobilenetV2 } from './mobilenetv2';
import { mobilenetV3Large, mobilenetV3Small } from './mobilenetv3';
import { mnasnet0_5, mnasnet0_75, mnasnet1_0, mnasnet1_3 } from './mnasnet';
import { regnetY400mf, regnetY800mf, regnetY1_6gf, regnetY3_2gf, regnetY8gf, regnetY16gf, regnetY32gf, regnetY128gf, regnetX400mf, regnetX800mf, regnetX1_6gf, regnetX3_2gf, regnetX8gf, regnetX16gf, regnetX32gf } from './regnet';
import { shufflenetV2X0_5, shufflenetV2X1_0, shufflenetV2X1_5, shufflenetV2X2_0 } from './shufflenetv2';
import { resnet18, resnet34, resnet50, resnet101, resnet152, resnext50_32x4d, resnext101_32x8d, resnext101_64x4d, wide_resnet50_2, wide_resnet101_2 } from './resnet';
import { squeezenet1_0, squeezenet1_1 } from './squeezenet';
import { vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn } from './vgg';
import { vitB16, vitB32, vitL16, vitL32, vitH14 } from './vision-transformer';
import { fcnResnet50, fcnResnet101, deeplabv3Resnet50, deeplabv3Resnet101, deeplabv3MobilenetV3Large, lrasppMobilenetV3Large } from './segmentation';
import { fasterrcnnResnet50Fpn, fasterrcnnResnet50FpnV2, fasterrcnnMobilenetV3LargeFpn, fasterrcnnMobilenetV3Large320Fpn, maskrcnnResnet50Fpn, maskrcnnResnet50FpnV2, keypointrcnnResnet50Fpn, retinanetResnet50Fpn, retinanetResnet50FpnV2, fcosResnet50Fpn, ssd300Vgg16, ssdlite320MobilenetV3Large } from './detection';
import { DETECTION_WEIGHTS } from './detection/detection-weights';
import { raftLarge, raftSmall } from './optical-flow';
import { OPTICAL_FLOW_WEIGHTS } from './optical-flow/optical-flow-weights';
import { r3d18, mc3_18, r2plus1d18, s3d, mvitV1B, mvitV2S } from './video';
import { VIDEO_WEIGHTS } from './video/video-weights';
import { swinT, swinS, swinB, swinV2T, swinV2S, swinV2B } from './swin-transformer';
import { maxvitT } from './maxvit';
import * as Q from './quantization';
import { QUANTIZED_WEIGHTS } from './quantization/weights';

/**
 * The builders by torchvision's registered names (torchvision.models._api.BUILTIN_MODELS, the
 * names of `models.__dict__[arch]` in Python scripts): the one table the snake_case exports below,
 * getModel and listModels come from.
 */
const BUILTIN_MODELS = {
  alexnet,
  convnext_tiny: convnextTiny,
  convnext_small: convnextSmall,
  convnext_base: convnextBase,
  convnext_large: convnextLarge,
  densenet121, densenet161, densenet169, densenet201,
  efficientnet_b0: efficientnetB0,
  efficientnet_b1: efficientnetB1,
  efficientnet_b2: efficientnetB2,
  efficientnet_b3: efficientnetB3,
  efficientnet_b4: efficientnetB4,
  efficientnet_b5: efficientnetB5,
  efficientnet_b6: efficientnetB6,
  efficientnet_b7: efficientnetB7,
  efficientnet_v2_s: efficientnetV2S,
  efficientnet_v2_m: efficientnetV2M,
  efficientnet_v2_l: efficientnetV2L,
  googlenet,
  inception_v3: inceptionV3,
  mobilenet_v2: mobilenetV2,
  mobilenet_v3_large: mobilenetV3Large,
  mobilenet_v3_small: mobilenetV3Small,
  mnasnet0_5, mnasnet0_75, mnasnet1_0, mnasnet1_3,
  regnet_y_400mf: regnetY400mf,
  regnet_y_800mf: regnetY800mf,
  regnet_y_1_6gf: regnetY1_6gf,
  regnet_y_3_2gf: regnetY3_2gf,
  regnet_y_8gf: regnetY8gf,
  regnet_y_16gf: regnetY16gf,
  regnet_y_32gf: regnetY32gf,
  regnet_y_128gf: regnetY128gf,
  regnet_x_400mf: regnetX400mf,
  regnet_x_800mf: regnetX800mf,
  regnet_x_1_6gf: regnetX1_6gf,
  regnet_x_3_2gf: regnetX3_2gf,
  regnet_x_8gf: regnetX8gf,
  regnet_x_16gf: regnetX16gf,
  regnet_x_32gf: regnetX32gf,
  shufflenet_v2_x0_5: shufflenetV2X0_5,
  shufflenet_v2_x1_0: shufflenetV2X1_0,
  shufflenet_v2_x1_5: shufflenetV2X1_5,
  shufflenet_v2_x2_0: shufflenetV2X2_0,
  resnet18, resnet34, resnet50, resnet101, resnet152, resnext50_32x4d, resnext101_32x8d, resnext101_64x4d, wide_resnet50_2, wide_resnet101_2,
  squeezenet1_0, squeezenet1_1,
  vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn,
  vit_b_16: vitB16,
  vit_b_32: vitB32,
  vit_l_16: vitL16,
  vit_l_32: vitL32,
  vit_h_14: vitH14,
  swin_t: swinT,
  swin_s: swinS,
  swin_b: swinB,
  swin_v2_t: swinV2T,
  swin_v2_s: swinV2S,
  swin_v2_b: swinV2B,
  maxvit_t: maxvitT,
  // torchvision.models.segmentation
  fcn_resnet50: fcnResnet50,
  fcn_resnet101: fcnResnet101,
  deeplabv3_resnet50: deeplabv3Resnet50,
  deeplabv3_resnet101: deeplabv3Resnet101,
  deeplabv3_mobilenet_v3_large: deeplabv3MobilenetV3Large,
  lraspp_mobilenet_v3_large: lrasppMobilenetV3Large,
  // torchvision.models.detection
  fasterrcnn_resnet50_fpn: fasterrcnnResnet50Fpn,
  fasterrcnn_resnet50_fpn_v2: fasterrcnnResnet50FpnV2,
  fasterrcnn_mobilenet_v3_large_fpn: fasterrcnnMobilenetV3LargeFpn,
  fasterrcnn_mobilenet_v3_large_320_fpn: fasterrcnnMobilenetV3Large320Fpn,
  maskrcnn_resnet50_fpn: maskrcnnResnet50Fpn,
  maskrcnn_resnet50_fpn_v2: maskrcnnResnet50FpnV2,
  keypointrcnn_resnet50_fpn: keypointrcnnResnet50Fpn,
  retinanet_resnet50_fpn: retinanetResnet50Fpn,
  retinanet_resnet50_fpn_v2: retinanetResnet50FpnV2,
  fcos_resnet50_fpn: fcosResnet50Fpn,
  ssd300_vgg16: ssd300Vgg16,
  ssdlite320_mobilenet_v3_large: ssdlite320MobilenetV3Large,
  // torchvision.models.optical_flow
  raft_large: raftLarge,
  raft_small: raftSmall,
  // torchvision.models.video
  r3d_18: r3d18,
  mc3_18,
  r2plus1d_18: r2plus1d18,
  s3d,
  mvit_v1_b: mvitV1B,
  mvit_v2_s: mvitV2S,
  // torchvision.models.quantization
  quantized_googlenet: Q.googlenet,
  quantized_inception_v3: Q.inceptionV3,
  quantized_mobilenet_v2: Q.mobilenetV2,
  quantized_mobilenet_v3_large: Q.mobilenetV3Large,
  quantized_resnet18: Q.resnet18,
  quantized_resnet50: Q.resnet50,
  quantized_resnext101_32x8d: Q.resnext101_32x8d,
  quantized_resnext101_64x4d: Q.resnext101_64x4d,
  quantized_shufflenet_v2_x0_5: Q.shufflenetV2X0_5,
  quantized_shufflenet_v2_x1_0: Q.shufflenetV2X1_0,
  quantized_shufflenet_v2_x1_5: Q.shufflenetV2X1_5,
  quantized_shufflenet_v2_x2_0: Q.shufflenetV2X2_0,
};
export type ModelName = keyof typeof BUILTIN_MODELS;
type ModelOptions = { [K in ModelName]: Parameters<(typeof BUILTIN_MODELS)[K]>[0] };
type ModelOf = { [K in ModelName]: ReturnType<(typeof BUILTIN_MODELS)[K]> };

// torchvision's names of the builders exported above in camelCase: models.mobilenet_v2(...),
// models['vit_b_16'] (the same functions)
export const {
  convnext_tiny, convnext_small, convnext_base, convnext_large,
  efficientnet_b0, efficientnet_b1, efficientnet_b2, efficientnet_b3, efficientnet_b4, efficientnet_b5, efficientnet_b6, efficientnet_b7,
  efficientnet_v2_s, efficientnet_v2_m, efficientnet_v2_l,
  inception_v3, mobilenet_v2, mobilenet_v3_large, mobilenet_v3_small,
  regnet_y_400mf, regnet_y_800mf, regnet_y_1_6gf, regnet_y_3_2gf, regnet_y_8gf, regnet_y_16gf, regnet_y_32gf, regnet_y_128gf,
  regnet_x_400mf, regnet_x_800mf, regnet_x_1_6gf, regnet_x_3_2gf, regnet_x_8gf, regnet_x_16gf, regnet_x_32gf,
  shufflenet_v2_x0_5, shufflenet_v2_x1_0, shufflenet_v2_x1_5, shufflenet_v2_x2_0,
  vit_b_16, vit_b_32, vit_l_16, vit_l_32, vit_h_14,
  swin_t, swin_s, swin_b, swin_v2_t, swin_v2_s, swin_v2_b, maxvit_t,
} = BUILTIN_MODELS;

type Builder = (options?: Record<string, unknown>) => Module;
const BUILDERS: Readonly<Record<string, Builder>> = BUILTIN_MODELS as unknown as Record<string, Builder>;

/**
 * torchvision.models.get_model_builder(name): the builder registered as `name` (any case, as
 * torchvision lowercases it); torch-node's camelCase names ('mobilenetV2') are found too.
 */
export function getModelBuilder(name: string): Builder {
  const key = String(name).toLowerCase();
  if (Object.prototype.hasOwnProperty.call(BUILDERS, key)) return BUILDERS[key];
  const camel = Object.values(BUILDERS).find((b) => b.name === name);
  if (camel) return camel;
  throw new ValueError(`Unknown model ${key}`);
}

/**
 * torchvision.models.get_model(name, **config) (torchvision 0.14): `getModel('resnet50', { weights:
 * 'DEFAULT', numClasses })` builds the model as its builder does with those options.
 */
export function getModel<N extends ModelName>(name: N, config?: ModelOptions[N]): ModelOf[N];
export function getModel(name: string, config?: Record<string, unknown>): Module;
export function getModel(name: string, config: object = {}): Module {
  return getModelBuilder(name)(config as Record<string, unknown>);
}

/**
 * torchvision.models.list_models(module=None): the sorted registered names of the models
 * torch-node builds, or of those a given namespace exports (`listModels(models)`).
 */
export function listModels(module?: object | null): ModelName[] {
  const names = Object.keys(BUILTIN_MODELS) as ModelName[];
  const inModule = module ? new Set(Object.values(module)) : null;
  return names.filter((n) => !inModule || inModule.has(BUILTIN_MODELS[n])).sort();
}

const ENUMS = { ...WEIGHTS, ...DETECTION_WEIGHTS, ...OPTICAL_FLOW_WEIGHTS, ...VIDEO_WEIGHTS, ...QUANTIZED_WEIGHTS } as Record<string, WeightsEnum>;

/** The weights enum name of each registered model, as the generator recorded it from torchvision. */
const ENUM_OF_MODEL = new Map(
  Object.entries({ ...WEIGHTS_DATA, ...DETECTION_WEIGHTS_DATA, ...OPTICAL_FLOW_WEIGHTS_DATA, ...VIDEO_WEIGHTS_DATA, ...QUANTIZED_WEIGHTS_DATA }).map(
    ([enumName, table]) => [table.model as string, enumName],
  ),
);

/**
 * torchvision.models.get_model_weights(name): the weights enum of a model, by its registered name
 * ('resnet50', any case) or its builder (models.resnet50): getModelWeights('resnet50').DEFAULT.
 */
export function getModelWeights(name: string | Builder): WeightsEnum {
  const builder = typeof name === 'string' ? getModelBuilder(name) : name;
  const registered = Object.keys(BUILDERS).find((k) => BUILDERS[k] === builder);
  const enumName = registered === undefined ? undefined : ENUM_OF_MODEL.get(registered);
  if (enumName === undefined) {
    throw new ValueError("The WeightsEnum class for the specific method couldn't be retrieved. Make sure the typing info is correct.");
  }
  return ENUMS[enumName];
}

/** torchvision.models.get_weight('ResNet50_Weights.IMAGENET1K_V2'): the weights entry of that name. */
export function getWeight(name: string): Weights {
  const parts = String(name).split('.');
  if (parts.length !== 2) throw new ValueError(`Invalid weight name provided: '${name}'.`);
  const [enumName, value] = parts;
  const enums = ENUMS as Record<string, Record<string, Weights>>;
  if (!Object.prototype.hasOwnProperty.call(enums, enumName)) throw new ValueError(`The weight enum '${enumName}' for the specific method couldn't be retrieved.`);
  const entries = enums[enumName];
  if (!Object.prototype.hasOwnProperty.call(entries, value)) throw new ValueError(`Unknown value '${value}' for ${enumName}.`);
  return entries[value];
}
