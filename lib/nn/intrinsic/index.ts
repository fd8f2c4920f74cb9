// torch.nn.intrinsic (torch.ao.nn.intrinsic): fused float modules; their quantized forms under .quantized,
// their quantization-aware-training forms under .qat.
export * from './modules';
export * as quantized from './quantized';
export * as qat from './qat';
