// torch.ao.nn: the quantized, quantization-aware-training and fused layers, the same classes as
// torch.nn.quantized, torch.nn.qat, torch.nn.intrinsic and torch.nn.quantizable.
export * as quantized from '../../nn/quantized';
export * as qat from '../../nn/qat';
export * as intrinsic from '../../nn/intrinsic';
export * as quantizable from '../../nn/quantizable';
