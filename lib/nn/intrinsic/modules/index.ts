// torch.nn.intrinsic.modules: the fused float modules.
export {
  _FusedModule, ConvReLU1d, ConvReLU2d, ConvReLU3d, LinearReLU, ConvBn1d, ConvBn2d, ConvBn3d, ConvBnReLU1d, ConvBnReLU2d, ConvBnReLU3d, BNReLU2d, BNReLU3d, LinearBn1d,
} from './fused';
