// Every torchvision builder torch-node has: torchvision's name (for the Python side) and ours.
import { models } from '../../lib/vision';
import { Module } from '../../lib/nn';

type Builder = (o?: { numClasses?: number; weights?: string }) => Module;

/** [torchvision's name, torch-node's export name, builder] */
export const BUILDERS: [string, string, Builder][] = [
  ['resnet18', 'resnet18', models.resnet18], ['resnet34', 'resnet34', models.resnet34], ['resnet50', 'resnet50', models.resnet50],
  ['resnet101', 'resnet101', models.resnet101], ['resnet152', 'resnet152', models.resnet152],
  ['resnext50_32x4d', 'resnext50_32x4d', models.resnext50_32x4d], ['wide_resnet50_2', 'wide_resnet50_2', models.wide_resnet50_2],
  ['alexnet', 'alexnet', models.alexnet], ['vgg11', 'vgg11', models.vgg11], ['vgg11_bn', 'vgg11_bn', models.vgg11_bn],
  ['vgg13', 'vgg13', models.vgg13], ['vgg13_bn', 'vgg13_bn', models.vgg13_bn], ['vgg16', 'vgg16', models.vgg16],
  ['vgg16_bn', 'vgg16_bn', models.vgg16_bn], ['vgg19', 'vgg19', models.vgg19], ['vgg19_bn', 'vgg19_bn', models.vgg19_bn],
  ['squeezenet1_0', 'squeezenet1_0', models.squeezenet1_0], ['squeezenet1_1', 'squeezenet1_1', models.squeezenet1_1],
  ['densenet121', 'densenet121', models.densenet121],
  ['inception_v3', 'inceptionV3', models.inceptionV3], ['googlenet', 'googlenet', models.googlenet], ['mobilenet_v2', 'mobilenetV2', models.mobilenetV2],
  ['mobilenet_v3_small', 'mobilenetV3Small', models.mobilenetV3Small], ['mobilenet_v3_large', 'mobilenetV3Large', models.mobilenetV3Large],
  ['efficientnet_b0', 'efficientnetB0', models.efficientnetB0], ['convnext_tiny', 'convnextTiny', models.convnextTiny],
  ['vit_b_16', 'vitB16', models.vitB16],
];

/** Later families, checked by value in their own test files (vision-models-*.test.ts); the first of each. */
export const MORE_BUILDERS: [string, string, Builder][] = [
  ['shufflenet_v2_x0_5', 'shufflenetV2X0_5', models.shufflenetV2X0_5], ['mnasnet0_5', 'mnasnet0_5', models.mnasnet0_5],
  ['regnet_y_400mf', 'regnetY400mf', models.regnetY400mf], ['regnet_x_400mf', 'regnetX400mf', models.regnetX400mf],
  ['swin_t', 'swinT', models.swinT], ['swin_v2_t', 'swinV2T', models.swinV2T], ['maxvit_t', 'maxvitT', models.maxvitT],
];
