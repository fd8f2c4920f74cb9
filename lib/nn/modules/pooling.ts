// torch.nn.modules.pooling, with its private bases (_MaxPoolNd, _AvgPoolNd, ...)
export * from '../layers/pooling';
export {
  MaxPoolNd as _MaxPoolNd,
  MaxUnpoolNd as _MaxUnpoolNd,
  AvgPoolNd as _AvgPoolNd,
  LPPoolNd as _LPPoolNd,
  AdaptiveAvgPoolNd as _AdaptiveAvgPoolNd,
  AdaptiveMaxPoolNd as _AdaptiveMaxPoolNd,
} from '../layers/pooling';
