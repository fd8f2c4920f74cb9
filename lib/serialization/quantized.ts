// Quantized tensors in torch.save files, as PyTorch 1.13 writes them (Tensor._reduce_ex_internal):
// _rebuild_qtensor(storage, offset, size, stride, quantizer_params, requires_grad, hooks), the
// storage a QInt8Storage (QUInt8Storage, QInt32Storage) of the integer representation and
// quantizer_params (torch.per_tensor_affine, scale, zero_point) or (torch.per_channel_affine,
// scales, zero_points, axis). Loading rebuilds the tensor from its integers and parameters.
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { aten } from '../tensor/aten';
import '../ao/quantization/tensor-methods';
import { QScheme, perChannelAffine, perChannelAffineFloatQparams, perTensorAffine, qschemeByName } from '../ao/quantization/qscheme';
import { PyGlobal, unpicklingError, describe } from './unpickler';
import { Pickler } from './pickler';
import { StorageRef, TensorRef, tensorRef } from './refs';
import { valuesPerByte } from '../tensor/dtype';

/** A quantized tensor to be built once its integers (and per-channel parameters) are tensors. */
export class QTensorRef {
  constructor(
    /** the integer representation, a view of the quantized storage */
    readonly ints: TensorRef,
    readonly qscheme: QScheme,
    readonly scale: number | TensorRef,
    readonly zeroPoint: number | TensorRef,
    readonly axis: number,
    readonly requiresGrad: boolean,
  ) {}
}

function rebuildQtensor(args: unknown[]): QTensorRef {
  if (args.length !== 7) throw unpicklingError(`_rebuild_qtensor takes 7 arguments, got ${args.length}`);
  const [storage, offset, size, stride, params, requiresGrad] = args;
  const ints = tensorRef(storage, offset, size, stride, false);
  if (!Array.isArray(params) || !(params[0] instanceof QScheme)) throw unpicklingError('quantizer_params must be a tuple starting with a qscheme');
  const qscheme = params[0];
  if (qscheme === perTensorAffine) {
    const [, scale, zeroPoint] = params as unknown[];
    if (params.length !== 3 || typeof scale !== 'number' || typeof zeroPoint !== 'number' || !Number.isSafeInteger(zeroPoint)) {
      throw unpicklingError('per_tensor_affine quantizer_params must be (qscheme, scale, zero_point)');
    }
    return new QTensorRef(ints, qscheme, scale, zeroPoint, 0, requiresGrad === true);
  }
  if (qscheme === perChannelAffine || qscheme === perChannelAffineFloatQparams) {
    const [, scales, zeroPoints, axis] = params as unknown[];
    if (params.length !== 4 || !(scales instanceof TensorRef) || !(zeroPoints instanceof TensorRef) || typeof axis !== 'number' || !Number.isSafeInteger(axis)) {
      throw unpicklingError('per-channel quantizer_params must be (qscheme, scales, zero_points, axis)');
    }
    return new QTensorRef(ints, qscheme, scales, zeroPoints, axis, requiresGrad === true);
  }
  throw unpicklingError(`Can't deserialize quantized tensor with qscheme ${describe(qscheme)}`);
}

/** The globals a quantized tensor needs: the rebuild function and the qschemes by name. */
export function quantizedGlobals(): PyGlobal[] {
  const globals: PyGlobal[] = [{ qualifiedName: 'torch._utils._rebuild_qtensor', call: rebuildQtensor }];
  for (const name of ['per_tensor_affine', 'per_channel_affine', 'per_tensor_symmetric', 'per_channel_symmetric', 'per_channel_affine_float_qparams']) {
    globals.push({ qualifiedName: `torch.${name}`, value: qschemeByName(name) });
  }
  return globals;
}

const perTensor = aten('_make_per_tensor_quantized_tensor', '');
const perChannel = aten('_make_per_channel_quantized_tensor', '');
const emptyPerTensor = aten('_empty_affine_quantized', '');
const emptyPerChannel = aten('_empty_per_channel_affine_quantized', '');
const setStorage = aten('set_', 'source_Tensor_storage_offset');

/**
 * The quantized tensor over the loaded integers (libtorch checks the parameters against them).
 * Sub-byte dtypes (quint4x2, quint2x4) have no integer tensor of their own values: their packed
 * bytes (`bytes`, the whole storage) become the storage of an empty quantized tensor, as Python's
 * _rebuild_qtensor does with set_.
 */
export function buildQuantized(ref: QTensorRef, tensor: (part: TensorRef) => Tensor, bytes: (storage: StorageRef) => Tensor): Tensor {
  try {
    const q = valuesPerByte(ref.ints.dtype) > 1 ? packedQuantized(ref, tensor, bytes) : unpackedQuantized(ref, tensor);
    return ref.requiresGrad ? q.requiresGrad_(true) : q;
  } catch (e) {
    throw unpicklingError(`invalid quantized tensor: ${(e as Error).message.split('\n')[0]}`);
  }
}

function unpackedQuantized(ref: QTensorRef, tensor: (part: TensorRef) => Tensor): Tensor {
  const ints = tensor(ref.ints);
  return ref.qscheme === perTensorAffine
    ? (perTensor([ints, ref.scale, ref.zeroPoint]) as Tensor)
    : (perChannel([ints, tensor(ref.scale as TensorRef), tensor(ref.zeroPoint as TensorRef), ref.axis]) as Tensor);
}

function packedQuantized(ref: QTensorRef, tensor: (part: TensorRef) => Tensor, bytes: (storage: StorageRef) => Tensor): Tensor {
  const { ints } = ref;
  const dtype = ints.dtype.code;
  const empty =
    ref.qscheme === perTensorAffine
      ? (emptyPerTensor([ints.size], { scale: ref.scale, zeroPoint: ref.zeroPoint, dtype }) as Tensor)
      : (emptyPerChannel([ints.size], { scales: tensor(ref.scale as TensorRef), zeroPoints: tensor(ref.zeroPoint as TensorRef), axis: ref.axis, dtype }) as Tensor);
  return setStorage([empty, bytes(ints.storage), ints.offset, ints.size, ints.stride]) as Tensor;
}

/**
 * Pickles a quantized tensor as PyTorch does. `storage` writes the persistent id of its integer
 * storage; the per-channel scales and zero points go through the pickler's tensor hook.
 */
export function pickleQuantized(t: Tensor, p: Pickler, storage: (t: Tensor) => void): void {
  const qscheme = t.qscheme();
  p.global('torch._utils', '_rebuild_qtensor');
  p.mark();
  storage(t);
  p.write(t.storageOffset());
  p.writeTuple(t.shape);
  p.writeTuple(t.stride());
  p.mark();
  if (qscheme === perTensorAffine) {
    p.global('torch', 'per_tensor_affine');
    p.float(t.qScale());
    p.write(t.qZeroPoint());
  } else if (qscheme === perChannelAffine || qscheme === perChannelAffineFloatQparams) {
    // Python writes float-qparams tensors as per_channel_affine too
    p.global('torch', 'per_channel_affine');
    p.write(t.qPerChannelScales());
    p.write(t.qPerChannelZeroPoints());
    p.write(t.qPerChannelAxis());
  } else {
    throw new TorchError(`Serialization is not supported for tensors of type ${qscheme}`);
  }
  p.tuple();
  p.write(t.requiresGrad);
  p.global('collections', 'OrderedDict');
  p.writeTuple([]);
  p.reduce();
  p.tuple();
  p.reduce();
}
