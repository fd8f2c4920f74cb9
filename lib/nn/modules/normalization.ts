// torch.nn.modules.normalization
export * from '../layers/normalization';
