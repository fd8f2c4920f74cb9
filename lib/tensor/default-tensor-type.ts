// torch.set_default_tensor_type(t): the legacy way to set the default floating dtype, by a legacy
// type (torch.DoubleTensor) or its name ('torch.DoubleTensor'). CUDA type names would also make
// CUDA the default device, which torch-node's factories do not have: they are refused.
import { NotImplementedError, PyTypeError, TorchError } from '../errors';
import { native } from '../native';
import { DType, setDefaultDtype } from './dtype';
import * as legacy from './legacy';
import { parseTypeName } from './type-names';

const ONLY_FLOATING = 'only floating-point types are supported as the default type';

/** The dtype of a legacy constructor (torch.FloatTensor ...), or undefined for anything else. */
function dtypeOfLegacy(t: unknown): DType | undefined {
  for (const [name, make] of Object.entries(legacy)) {
    if (make === t && name.endsWith('Tensor') && name !== 'Tensor') return parseTypeName(`torch.${name}`)?.dtype;
  }
  return undefined;
}

/** torch.set_default_tensor_type(torch.DoubleTensor | 'torch.DoubleTensor') */
export function setDefaultTensorType(t: unknown): void {
  let dtype: DType | undefined;
  if (typeof t === 'string') {
    const parsed = parseTypeName(t);
    if (parsed === null) {
      // Python imports the module part and reads the attribute
      const dot = t.lastIndexOf('.');
      const module = t.slice(0, Math.max(dot, 0));
      if (module === 'torch' || module === 'torch.cuda') throw new TorchError(`module '${module}' has no attribute '${t.slice(dot + 1)}'`);
      throw new TorchError(`No module named '${(module || t).split('.')[0]}'`);
    }
    if (parsed.deviceType === 'cuda') {
      if (!native.cudaIsBuilt()) throw new PyTypeError(`type ${t} not available. Torch not compiled with CUDA enabled.`);
      throw new NotImplementedError(`set_default_tensor_type('${t}'): torch-node has no default device; create tensors with { device: 'cuda' } or move them with .cuda()`);
    }
    dtype = parsed.dtype;
  } else {
    dtype = dtypeOfLegacy(t);
    if (dtype === undefined) throw new PyTypeError(`invalid type object: ${ONLY_FLOATING}`);
  }
  if (!dtype.isFloatingPoint) throw new PyTypeError(ONLY_FLOATING);
  setDefaultDtype(dtype);
}
