// torch.nn.modules.linear
export { Identity, Linear, Bilinear, LazyLinear } from '../layers/linear';
// MultiheadAttention's out_proj class, named by torch.load allowlists (word_language_model)
export { NonDynamicallyQuantizableLinear } from '../layers/multihead-attention';
