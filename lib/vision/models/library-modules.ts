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
import * as mobilenetv2 from './mobilenetv2';
import * as mobilenetv3 from './mobilenetv3';
import * as ops from './ops';
import * as resnet from './resnet';
import * as squeezenet from './squeezenet';
import * as vgg from './vgg';
import * as vit from './vision-transformer';

const { LayerNorm2d } = convnext;
const { Permute, StochasticDepth } = ops;
const layers = { LayerNorm2d, Permute, StochasticDepth };
registerLayers(layers, Module);
for (const file of [alexnet, convnext, densenet, efficientnet, googlenet, inception, mobilenetv2, mobilenetv3, ops, resnet, squeezenet, vgg, vit]) {
  registerContainers(Object.fromEntries(Object.entries(file).filter(([name]) => !(name in layers))), Module);
}
