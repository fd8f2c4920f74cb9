// When PyTorch's inference kernels (native MHA, fused encoder layer, nested tensors) may be used:
// the tensors live on CPU or CUDA and no gradient will be needed, as torch/nn checks before them.
import { Tensor } from '../../tensor/tensor';
import { isGradEnabled } from '../../autograd/grad-mode';

export function inferenceKernelsAllowed(tensors: (Tensor | null)[]): boolean {
  for (const t of tensors) {
    if (t && t.device.type !== 'cpu' && t.device.type !== 'cuda') return false;
  }
  return !(isGradEnabled() && tensors.some((t) => t !== null && t.requiresGrad));
}
