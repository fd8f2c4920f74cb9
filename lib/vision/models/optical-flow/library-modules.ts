// Tells nn/intermediates.ts that RAFT's blocks and encoders are the library's own, so the
// intermediates of their forward are freed as soon as they are consumed (the encoders' full- and
// half-resolution activations are most of RAFT's memory).
import { Module } from '../../../nn/module';
import { registerContainers } from '../../../nn/intermediates';
import '../library-modules'; // Conv2dNormActivation, the blocks' layers
import * as residualBlocks from './residual-blocks';
import * as featureEncoder from './feature-encoder';
import * as motionEncoder from './motion-encoder';
import * as updateBlock from './update-block';

for (const file of [residualBlocks, featureEncoder, motionEncoder, updateBlock]) registerContainers(file, Module);
