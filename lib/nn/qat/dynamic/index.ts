// torch.nn.qat.dynamic (torch.ao.nn.qat.dynamic): QAT layers for dynamic quantization.
export { Linear } from './linear';
