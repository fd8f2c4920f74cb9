// The observers that compute nothing from data (observer.py): FixedQParamsObserver (constant
// qparams, for sigmoid/tanh outputs), PlaceholderObserver (carries a dtype for dynamic and float16
// quantization), RecordingObserver (keeps what passed, for debugging), NoopObserver and
// ReuseInputObserver.
import { TorchError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { tensor } from '../../../tensor/create';
import { DType, DTypeLike, float16, float32, int32, quint8, toDType } from '../../../tensor/dtype';
import { ArgsOf, signature } from '../../../keywords';
import { QScheme, perTensorAffine } from '../qscheme';
import { ObserverBase } from './base';

export interface FixedQParamsObserverArgs {
  scale: number;
  zeroPoint: number;
  dtype?: DTypeLike;
  qscheme?: QScheme;
  quantMin?: number;
  quantMax?: number;
}
const FIXED = signature<FixedQParamsObserverArgs>()(['scale', 'zeroPoint'], ['dtype', 'qscheme', 'quantMin', 'quantMax']);

export class FixedQParamsObserver extends ObserverBase {
  quantMin: number;
  quantMax: number;
  qscheme: QScheme;
  scale!: Tensor;
  zero_point!: Tensor;

  /** FixedQParamsObserver(scale, zeroPoint, dtype = quint8, qscheme = per_tensor_affine, quantMin = 0, quantMax = 255). */
  constructor(...args: ArgsOf<typeof FIXED>) {
    const a = FIXED.bind('FixedQParamsObserver', args);
    super(a.dtype ?? quint8);
    this.quantMin = a.quantMin ?? 0;
    this.quantMax = a.quantMax ?? 255;
    this.registerBuffer('scale', tensor([a.scale], { dtype: float32 }));
    this.registerBuffer('zero_point', tensor([a.zeroPoint], { dtype: int32 }));
    this.qscheme = a.qscheme ?? perTensorAffine;
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  /** The fixed [scale, zeroPoint] buffers. */
  calculateQparams(): [Tensor, Tensor] {
    return [this.scale, this.zero_point];
  }
}

export interface PlaceholderObserverArgs {
  dtype?: DTypeLike;
  customOpName?: string;
  computeDtype?: DTypeLike | null;
}
const PLACEHOLDER = signature<PlaceholderObserverArgs>()([], ['dtype', 'customOpName', 'computeDtype']);

export class PlaceholderObserver extends ObserverBase {
  customOp: string;
  computeDtype?: DType;

  /** PlaceholderObserver(dtype = float32, customOpName = '', computeDtype = null). */
  constructor(...args: ArgsOf<typeof PLACEHOLDER>) {
    const a = PLACEHOLDER.bind('PlaceholderObserver', args);
    super(a.dtype ?? float32);
    this.customOp = a.customOpName ?? '';
    if (a.computeDtype) this.computeDtype = toDType(a.computeDtype);
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  calculateQparams(): [Tensor, Tensor] {
    throw new TorchError('calculate_qparams should not be called for PlaceholderObserver');
  }
}

const RECORDING = signature<{ dtype?: DTypeLike }>()([], ['dtype']);

export class RecordingObserver extends ObserverBase {
  /** Copies of every tensor observed, in order. */
  tensorVal: Tensor[] = [];

  /** RecordingObserver(dtype = quint8). */
  constructor(...args: ArgsOf<typeof RECORDING>) {
    super(RECORDING.bind('RecordingObserver', args).dtype ?? quint8);
  }

  forward(x: Tensor): Tensor {
    this.tensorVal.push(x.clone());
    return x;
  }

  calculateQparams(): [Tensor, Tensor] {
    throw new TorchError('calculate_qparams should not be called for RecordingObserver');
  }

  /** The recorded tensors. */
  getTensorValue(): Tensor[] {
    return this.tensorVal;
  }
}

const NOOP = signature<{ dtype?: DTypeLike; customOpName?: string }>()([], ['dtype', 'customOpName']);

export class NoopObserver extends ObserverBase {
  customOp: string;

  /** NoopObserver(dtype = float16, customOpName = ''). */
  constructor(...args: ArgsOf<typeof NOOP>) {
    const a = NOOP.bind('NoopObserver', args);
    super(a.dtype ?? float16);
    this.customOp = a.customOpName ?? '';
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  calculateQparams(): [Tensor, Tensor] {
    throw new TorchError('calculate_qparams should not be called for NoopObserver');
  }
}

export class ReuseInputObserver extends ObserverBase {
  /** ReuseInputObserver(): the output shares the input's observer (FX's reuse-input ops). */
  constructor(...none: []) {
    void none;
    super(quint8);
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  calculateQparams(): [Tensor, Tensor] {
    throw new TorchError('calculate_qparams should not be called for ReuseInputObserver');
  }
}
