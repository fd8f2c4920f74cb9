// torch.nn.quantized.dynamic: float-in, float-out layers whose weights are quantized.
export { Linear } from './linear';
