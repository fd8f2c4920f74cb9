// Tells nn/intermediates.ts that the video models' Module classes are the library's own, so the
// intermediates of their forward are freed as soon as they are consumed: the two Conv3d subclasses
// are layers (a new tensor out, none kept), the rest containers.
import { Module } from '../../../nn/module';
import { registerContainers, registerLayers } from '../../../nn/intermediates';
import * as resnet from './resnet';
import * as s3d from './s3d';
import * as mvit from './mvit';
import * as mvitAttention from './mvit-attention';

const { Conv3DSimple, Conv3DNoTemporal } = resnet;
const layers = { Conv3DSimple, Conv3DNoTemporal };
registerLayers(layers, Module);
for (const file of [resnet, s3d, mvit, mvitAttention]) {
  registerContainers(Object.fromEntries(Object.entries(file).filter(([name]) => !(name in layers))), Module);
}
