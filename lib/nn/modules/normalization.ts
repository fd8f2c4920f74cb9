// torch.nn.modules.normalization
export * from '../layers/normalization';
export { CrossMapLRN2d } from '../layers/cross-map-lrn';
export { RMSNorm } from '../layers/rms-norm';
