// torch.ao.nn.quantized FloatFunctional / FXFloatFunctional / QFunctional: tensor arithmetic as a
// module, so eager-mode quantization can observe (FloatFunctional) and then quantize (QFunctional)
// the output of an add, mul or cat.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor } from '../../tensor/create';
import { add, cat, mul } from '../../tensor/functions';
import { Module, StateDict, LocalMetadata } from '../module';
import { Identity } from '../layers/linear';
import { relu } from '../functional/activation';
import { pyFloat } from '../../py-format';
import { ObserverLike, scaleZeroPoint, scalarOf } from './utils';
import { qop } from './ops';

const NO_FORWARD = "FloatFunctional is not intended to use the 'forward'. Please use the underlying operation";

/** Float arithmetic whose results pass through activation_post_process (an observer once prepared). */
export class FloatFunctional extends Module {
  activation_post_process: Module = new Identity();

  forward(..._args: unknown[]): never {
    throw new TorchError(NO_FORWARD);
  }
  private _observe(r: Tensor): Tensor {
    return this.activation_post_process(r) as Tensor;
  }
  add(x: Tensor, y: Tensor): Tensor {
    return this._observe(add(x, y));
  }
  addScalar(x: Tensor, y: number): Tensor {
    return add(x, y);
  }
  mul(x: Tensor, y: Tensor): Tensor {
    return this._observe(mul(x, y));
  }
  mulScalar(x: Tensor, y: number): Tensor {
    return mul(x, y);
  }
  cat(x: Tensor[], dim = 0): Tensor {
    return this._observe(cat(x, dim));
  }
  addRelu(x: Tensor, y: Tensor): Tensor {
    return this._observe(relu(add(x, y)));
  }
}

/** FloatFunctional without the observer (FX mode inserts its own). */
export class FXFloatFunctional extends Module {
  forward(..._args: unknown[]): never {
    throw new TorchError(NO_FORWARD);
  }
  add(x: Tensor, y: Tensor): Tensor {
    return add(x, y);
  }
  addScalar(x: Tensor, y: number): Tensor {
    return add(x, y);
  }
  mul(x: Tensor, y: Tensor): Tensor {
    return mul(x, y);
  }
  mulScalar(x: Tensor, y: number): Tensor {
    return mul(x, y);
  }
  cat(x: Tensor[], dim = 0): Tensor {
    return cat(x, dim);
  }
  addRelu(x: Tensor, y: Tensor): Tensor {
    return relu(add(x, y));
  }
}

/** The quantized ops (quantized::add, mul, cat, add_relu) with the output's scale/zero_point. */
export class QFunctional extends Module {
  scale = 1.0;
  zeroPoint = 0;
  activation_post_process: Module = new Identity();

  forward(..._args: unknown[]): never {
    throw new TorchError("Functional is not intended to use the 'forward'. Please use the underlying operation");
  }
  private _observe(r: Tensor): Tensor {
    return this.activation_post_process(r) as Tensor;
  }
  add(x: Tensor, y: Tensor): Tensor {
    return this._observe(qop('quantized::add', x, y, this.scale, this.zeroPoint));
  }
  addScalar(x: Tensor, y: number): Tensor {
    return qop('quantized::add_scalar', x, y);
  }
  mul(x: Tensor, y: Tensor): Tensor {
    return this._observe(qop('quantized::mul', x, y, this.scale, this.zeroPoint));
  }
  mulScalar(x: Tensor, y: number): Tensor {
    return qop('quantized::mul_scalar', x, y);
  }
  cat(x: Tensor[], dim = 0): Tensor {
    return this._observe(qop('quantized::cat', x, dim, this.scale, this.zeroPoint));
  }
  addRelu(x: Tensor, y: Tensor): Tensor {
    return this._observe(qop('quantized::add_relu', x, y, this.scale, this.zeroPoint));
  }

  _getName(): string {
    return 'QFunctional';
  }
  extraRepr(): string {
    return `scale=${pyFloat(this.scale)}, zero_point=${this.zeroPoint}`;
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    dest[prefix + 'scale'] = tensor(this.scale, { dtype: 'float32' });
    dest[prefix + 'zero_point'] = tensor(this.zeroPoint, { dtype: 'int64' });
  }
  protected _loadFromStateDict(
    stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[], localMetadata: LocalMetadata = {},
  ): void {
    for (const key of ['scale', 'zero_point']) if (!stateDict.has(prefix + key)) throw new TorchError(`KeyError: '${prefix + key}'`);
    this.scale = scalarOf(stateDict.get(prefix + 'scale'));
    this.zeroPoint = Math.trunc(scalarOf(stateDict.get(prefix + 'zero_point')));
    stateDict.delete(prefix + 'scale');
    stateDict.delete(prefix + 'zero_point');
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }

  /** Python's from_float: the qparams of a calibrated FloatFunctional's observer. */
  static fromFloat(mod: Module): QFunctional {
    if (mod.constructor !== FloatFunctional) throw new TorchError('QFunctional.from_float expects an instance of FloatFunctional');
    const q = new QFunctional();
    [q.scale, q.zeroPoint] = scaleZeroPoint((mod as FloatFunctional).activation_post_process as unknown as ObserverLike);
    return q;
  }
}
