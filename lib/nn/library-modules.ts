// Tells intermediates.ts which Module classes are the library's own: the layers, whose outputs are
// fresh tensors, and Sequential. The RNN and attention families return tuples and the transformer
// layers call a user's `activation`, so they stay classed as user code, which is only slower.
import { Module } from './module';
import { Sequential } from './containers/sequential';
import { registerContainers, registerLayers } from './intermediates';
import * as activation from './layers/activation';
import * as batchnorm from './layers/batchnorm';
import * as conv from './layers/conv';
import * as dropout from './layers/dropout';
import * as embedding from './layers/embedding';
import * as flatten from './layers/flatten';
import * as fold from './layers/fold';
import * as instancenorm from './layers/instancenorm';
import * as linear from './layers/linear';
import * as loss from './layers/loss';
import * as normalization from './layers/normalization';
import * as padding from './layers/padding';
import * as pixelShuffle from './layers/pixel-shuffle';
import * as pooling from './layers/pooling';
import * as upsampling from './layers/upsampling';

for (const file of [activation, batchnorm, conv, dropout, embedding, flatten, fold, instancenorm, linear, loss, normalization, padding, pixelShuffle, pooling, upsampling]) {
  registerLayers(file, Module);
}
registerContainers({ Sequential }, Module);
