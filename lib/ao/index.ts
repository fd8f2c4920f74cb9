// torch.ao: quantization (torch.ao.quantization, torch.quantization as well) and nn (quantized layers);
// quantized tensors' members (isQuantized, qscheme()) are installed on import.
import './quantization/tensor-methods';
export * as quantization from './quantization';
export * as nn from './nn';
export { QScheme, perTensorAffine, perChannelAffine, perTensorSymmetric, perChannelSymmetric, perChannelAffineFloatQparams } from './quantization/qscheme';
