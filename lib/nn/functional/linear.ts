// F.linear and F.bilinear.
import { Tensor, aten } from './torch';

const op = { linear: aten('linear'), bilinear: aten('bilinear') };

/** F.linear(input, weight, bias=None): input @ weight.T + bias */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return op.linear([input, weight, bias]) as Tensor;
}

/** F.bilinear(input1, input2, weight, bias=None) */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return op.bilinear([input1, input2, weight, bias]) as Tensor;
}
