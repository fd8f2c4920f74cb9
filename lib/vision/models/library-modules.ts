// Tells nn/intermediates.ts which of these Module classes are the library's own, so the
// intermediates of a torchvision model's forward are freed as soon as they are consumed.
import { Module } from '../../nn/module';
import { registerContainers, registerLayers } from '../../nn/intermediates';
import * as alexnet from './alexnet';
import * as convnext from './convnext';
import * as densenet from './densenet';
import * as efficientnet from './efficientnet';
import * as googlenet from './googlenet';
import * as inception from './inception';
import * as maxvit from './maxvit';
import * as mnasnet from './mnasnet';
import * as mobilenetv2 from './mobilenetv2';
import * as mobilenetv3 from './mobilenetv3';
import * as ops from './ops';
import * as regnet from './regnet';
import * as resnet from './resnet';
import * as shufflenetv2 from './shufflenetv2';
import * as squeezenet from './squeezenet';
import * as swinAttention from './swin-attention';
import * as swin from './swin-transformer';
import * as vgg from './vgg';
import * as vit from './vision-transformer';

const { LayerNorm2d } = convnext;
const { Permute, StochasticDepth } = ops;
const layers = { LayerNorm2d, Permute, StochasticDepth };
registerLayers(layers, Module);
const files = [alexnet, convnext, densenet, efficientnet, googlenet, inception, maxvit, mnasnet, mobilenetv2, mobilenetv3, ops, regnet, resnet, shufflenetv2, squeezenet, swinAttention, swin, vgg, vit];
for (const file of files) {
  registerContainers(Object.fromEntries(Object.entries(file).filter(([name]) => !(name in layers))), Module);
}
