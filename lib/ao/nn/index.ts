// torch.ao.nn: the quantized layers, the same classes as torch.nn.quantized.
export * as quantized from '../../nn/quantized';
