// torch.ao.nn.quantized.MultiheadAttention: the quantizable MHA after convert (quantized Linears,
// QFunctional, Quantize/DeQuantize stubs); bias_k / bias_v become quantized tensors (quint8, qparams
// chosen from bias_k for both, as Python 1.13 does). Only built from an observed quantizable MHA.
import { NotImplementedError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { quint8 } from '../../tensor/dtype';
import { aten } from '../../tensor/aten';
import { quantizePerTensor } from '../../ops/generated/functions';
import { Module } from '../module';
import { MultiheadAttention as QuantizableMultiheadAttention } from '../quantizable/activation';
import { convert } from '../../ao/quantization/quantize';

const chooseQparamsPerTensor = aten('_choose_qparams_per_tensor', '');

export class MultiheadAttention extends QuantizableMultiheadAttention {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static _FLOAT_MODULE: abstract new (...args: any[]) => Module = QuantizableMultiheadAttention;

  _getName(): string {
    return 'QuantizedMultiheadAttention';
  }

  /** Float -> observed is nn.quantizable.MultiheadAttention's step; this class only converts observed ones. */
  static fromFloat(_other: Module): MultiheadAttention {
    throw new NotImplementedError('It looks like you are trying to convert a non-observed MHA module. Please, see the examples on quantizable MHAs.');
  }

  /** from_observed(observed quantizable MHA): a converted copy of this class, bias_k / bias_v quantized. */
  static fromObserved(other: Module): MultiheadAttention {
    const converted = convert(other, { mapping: null, inplace: false, removeQconfig: true, convertCustomConfigDict: null }) as MultiheadAttention;
    Object.setPrototypeOf(converted, this.prototype);
    const self = converted as unknown as Record<string, Tensor | null>;
    let biasK = converted.bias_k as Tensor | null;
    if (biasK !== null) {
      delete self.bias_k;
      const [sc, zp] = chooseQparamsPerTensor([biasK, false]) as [number, number];
      biasK = quantizePerTensor(biasK, sc, zp, quint8);
      self.bias_k = biasK;
    }
    const biasV = converted.bias_v as Tensor | null;
    if (biasV !== null) {
      delete self.bias_v;
      // Python chooses these from the (already quantized) bias_k too
      const [sc, zp] = chooseQparamsPerTensor([biasK, false]) as [number, number];
      self.bias_v = quantizePerTensor(biasV, sc, zp, quint8);
    }
    return converted;
  }
}
