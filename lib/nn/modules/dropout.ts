// torch.nn.modules.dropout, with its private base _DropoutNd
export * from '../layers/dropout';
export { DropoutNd as _DropoutNd } from '../layers/dropout';
