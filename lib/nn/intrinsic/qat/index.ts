// torch.nn.intrinsic.qat (torch.ao.nn.intrinsic.qat): the fused QAT layers prepare_qat swaps in for
// nn.intrinsic's float fused modules (conv + bn (+ relu), conv + relu, linear + relu, linear + bn).
export { ConvBn1d, ConvBn2d, ConvBn3d, ConvBnReLU1d, ConvBnReLU2d, ConvBnReLU3d, updateBnStats, freezeBnStats } from './conv-fused';
export type { ConvBnArgs, ConvBnMembers } from './conv-bn';
export { ConvReLU1d, ConvReLU2d, ConvReLU3d } from './conv-relu';
export type { ConvReLUArgs } from './conv-relu';
export { LinearReLU } from './linear-relu';
export type { LinearReLUArgs } from './linear-relu';
export { LinearBn1d } from './linear-fused';
export type { LinearBn1dArgs } from './linear-fused';
