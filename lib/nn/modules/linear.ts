// torch.nn.modules.linear
export { Identity, Linear, Bilinear, LazyLinear } from '../layers/linear';
