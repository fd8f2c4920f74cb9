// torch.ao.nn.quantized.LSTM (modules/rnn.py): the quantizable LSTM after convert — the same module
// tree with quantized Linears and QFunctionals, run on quantized input. Only built from an observed
// (prepared, calibrated) nn.quantizable.LSTM, through convert's custom-module step.
import { AssertionError, NotImplementedError } from '../../errors';
import { Module } from '../module';
import { LSTM as QuantizableLSTM } from '../quantizable/rnn';
import { convert } from '../../ao/quantization/quantize';

export class LSTM extends QuantizableLSTM {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static _FLOAT_MODULE: abstract new (...args: any[]) => Module = QuantizableLSTM;

  _getName(): string {
    return 'QuantizedLSTM';
  }

  /** Float -> observed is nn.quantizable.LSTM's step; this class only converts observed ones. */
  static fromFloat(_other: Module): LSTM {
    throw new NotImplementedError('It looks like you are trying to convert a non-observed LSTM module. Please, see the examples on quantizable LSTMs.');
  }

  /** from_observed(observed quantizable LSTM): a converted copy, now of this class. */
  static fromObserved(other: Module): LSTM {
    if (other.constructor !== this._FLOAT_MODULE) throw new AssertionError('');
    const converted = convert(other, { inplace: false, removeQconfig: true });
    Object.setPrototypeOf(converted, this.prototype);
    return converted as LSTM;
  }
}
