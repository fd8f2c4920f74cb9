// torch.nn.modules.upsampling
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d } from '../layers/upsampling';
