// Tensor members of quantized tensors that are Python properties or return Python objects:
// t.isQuantized (Python's t.is_quantized) and t.qscheme() as a torch.qscheme. The rest
// (intRepr, dequantize, qScale, qZeroPoint, qPerChannel*) are the generated aten methods.
import { Tensor } from '../../tensor/tensor';
import { intReprDtype } from '../../tensor/dtype';
import { aten } from '../../tensor/aten';
import { QScheme, qschemeFromCode } from './qscheme';

declare module '../../tensor/tensor' {
  interface Tensor {
    /** Python's t.is_quantized: a qint8/quint8/qint32/... tensor. */
    readonly isQuantized: boolean;
    /** The quantization scheme (torch.per_tensor_affine, ...); a RuntimeError for other tensors. */
    qscheme(): QScheme;
  }
}

const qschemeOp = aten('qscheme', '');

Object.defineProperty(Tensor.prototype, 'isQuantized', {
  get(this: Tensor): boolean {
    return intReprDtype(this.dtype) !== undefined;
  },
  configurable: true,
});

Object.defineProperty(Tensor.prototype, 'qscheme', {
  value: function qscheme(this: Tensor): QScheme {
    return qschemeFromCode(qschemeOp([this]) as number);
  },
  writable: true,
  configurable: true,
});
