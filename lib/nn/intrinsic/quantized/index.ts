// torch.nn.intrinsic.quantized: the fused modules' quantized forms (one fused kernel each).
export { LinearReLU } from './linear-relu';
export { ConvReLU1d, ConvReLU2d, ConvReLU3d } from './conv-relu';
export { BNReLU2d, BNReLU3d } from './bn-relu';
export * as dynamic from '../../quantized/dynamic/intrinsic';
