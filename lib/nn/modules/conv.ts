// torch.nn.modules.conv, with its private base _ConvNd
export * from '../layers/conv';
export { ConvNd as _ConvNd } from '../layers/conv';
