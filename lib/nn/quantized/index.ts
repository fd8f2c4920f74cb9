// torch.nn.quantized (torch.ao.nn.quantized): quantized layers; dynamic ones under .dynamic.
export * as dynamic from './dynamic';
export { LinearPackedParams } from './linear-packed-params';
