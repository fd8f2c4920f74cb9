// torch.nn.intrinsic.quantized.dynamic (torch.ao.nn.intrinsic.quantized.dynamic): the fused layers
// of dynamic quantization; re-exported there from nn/intrinsic/quantized.
export { LinearReLU } from './linear-relu';
