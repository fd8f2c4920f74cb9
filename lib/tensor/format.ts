// Placeholder printer; replaced by the faithful port of PyTorch's _tensor_str.
import type { Tensor } from './tensor';

export function formatTensor(t: Tensor): string {
  return `tensor(${JSON.stringify(t.tolist())})`;
}
