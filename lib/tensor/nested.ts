// Python's sequence data for torch.tensor: nested arrays of numbers, booleans and one-element
// tensors (torch.tensor([loss]), torch.LongTensor([[w]])), read as PyTorch's tensor_new.cpp does:
// the shape from the first elements, the dtype promoted over every element (a tensor counts with
// its own dtype, a number as int64 / the default float / bool), then each value stored.
import { TorchError, PyTypeError } from '../errors';
import { native } from '../native';
import { aten } from './aten';
import { DType, bool, int64, dtypeFromCode, getDefaultDtype } from './dtype';
import { Tensor } from './tensor';

/** What torch.tensor() reads: numbers, booleans, one-element tensors, nested arrays of them. */
export type TensorData = number | boolean | Tensor | TensorData[];

const promoteTypes = aten('promote_types', '');
const promote = (a: DType | undefined, b: DType): DType => (a === undefined || a === b ? b : dtypeFromCode(promoteTypes([a, b]) as number));

/** Whether a value stored into `d` goes through Python's __index__ (integral and bool dtypes). */
const indexLike = (d: DType): boolean => !d.isFloatingPoint && !d.isComplex;

// A tensor where a sequence is expected is one, as in Python: its slices along dim 0.
function asSequence(x: TensorData | bigint, d: number, length: number): TensorData[] {
  if (Array.isArray(x)) return x;
  if (x instanceof Tensor && x.dim() > 0) return [...x];
  if (x instanceof Tensor) throw new PyTypeError('not a sequence');
  throw new TorchError(`expected sequence of length ${length} at dim ${d} (got ${typeof x})`);
}

/** The dtype Python infers for the data (torch.tensor's default dtype when nothing decides it). */
function inferDtype(data: TensorData | bigint): DType {
  let sawFloat = false;
  let sawInt = false;
  let sawBool = false;
  let fromTensors: DType | undefined;
  const visit = (x: TensorData | bigint): void => {
    if (Array.isArray(x)) for (const v of x) visit(v);
    else if (x instanceof Tensor) fromTensors = promote(fromTensors, x.dtype);
    else if (typeof x === 'boolean') sawBool = true;
    else if (typeof x === 'number') (Number.isInteger(x) ? (sawInt = true) : (sawFloat = true));
    else if (typeof x === 'bigint') sawInt = true;
    else throw new TorchError(`Could not infer dtype of ${x === null ? 'null' : typeof x}`);
  };
  visit(data);
  const fromNumbers = sawFloat ? getDefaultDtype() : sawInt ? int64 : sawBool ? bool : undefined;
  if (fromTensors === undefined) return fromNumbers ?? getDefaultDtype();
  return fromNumbers === undefined ? fromTensors : promote(fromTensors, fromNumbers);
}

/** A one-element tensor's value, with Python's errors for the others and for a float stored as an index. */
function tensorValue(t: Tensor, target: DType): number | boolean {
  if (indexLike(target) ? !indexLike(t.dtype) || t.numel() !== 1 : t.numel() !== 1) {
    throw indexLike(target)
      ? new PyTypeError('only integer tensors of a single element can be converted to an index')
      : new TorchError('only one element tensors can be converted to Python scalars');
  }
  if (t.dtype.isComplex) throw new TorchError('torch.tensor(): complex tensors inside a list are not supported yet');
  return native.item(t._h) as number | boolean;
}

/**
 * Checks the data is rectangular (PyTorch's messages otherwise) and returns its shape, its values in
 * row-major order and the dtype: `target` when given, else the inferred one.
 */
export function readNested(data: TensorData | bigint, target?: DType): { shape: number[]; flat: (number | boolean)[]; dtype: DType } {
  const shape: number[] = [];
  for (let cur: TensorData | bigint = data; Array.isArray(cur); cur = cur[0]) {
    shape.push(cur.length);
    if (cur.length === 0) break;
  }
  const dtype = target ?? inferDtype(data);
  const flat: (number | boolean)[] = [];
  const walk = (x: TensorData | bigint, d: number): void => {
    if (d < shape.length) {
      const seq = asSequence(x, d, shape[d]);
      if (seq.length !== shape[d]) throw new TorchError(`expected sequence of length ${shape[d]} at dim ${d} (got ${seq.length})`);
      for (const v of seq) walk(v, d + 1);
    } else if (x instanceof Tensor) {
      flat.push(tensorValue(x, dtype));
    } else if (typeof x === 'number' || typeof x === 'boolean') {
      flat.push(x);
    } else if (typeof x === 'bigint') {
      flat.push(Number(x));
    } else {
      throw new TorchError(`Could not infer dtype of ${x === null ? 'null' : typeof x}`);
    }
  };
  walk(data, 0);
  return { shape, flat, dtype };
}
