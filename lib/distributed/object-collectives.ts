// torch.distributed's object collectives (all_gather_object, gather_object, broadcast_object_list,
// scatter_object_list): each object travels as its pickle in a uint8 tensor beside an int64 size
// tensor, through the same tensor collectives in the same order as Python's, so Node and Python
// ranks can share them. The pickles are the project's own (torch.save's): plain data only.
import { TorchError, ValueError } from '../errors';
import { keysOf, parse, given, Rest } from '../keywords';
import { restrictedHooks } from '../serialization/allowlist';
import { materialize, TensorBuilder } from '../serialization/materialize';
import { Pickler } from '../serialization/pickler';
import { unpickle } from '../serialization/unpickler';
import { tensor as fromData, empty, zeros } from '../tensor/create';
import type { DeviceLike } from '../tensor/device';
import { int64, uint8 } from '../tensor/dtype';
import { cat } from '../tensor/functions';
import { Tensor } from '../tensor/tensor';
import { isMap, isPlainObject } from '../data/kinds';
import { allGather, broadcast, gather, scatter } from './collectives';
import { getRank, getWorldSize, Group, rankNotInGroup, warnNotInGroup } from './groups';

const PLAIN_DATA = 'null, booleans, numbers, bigints, strings, arrays, Maps and plain objects';

/** Python's _object_to_tensor: the object's pickle as a uint8 tensor, and its length as a 1-element int64 tensor. */
function objectToTensor(fn: string, obj: unknown): [Tensor, Tensor] {
  const pickler = new Pickler((v) => {
    if (Array.isArray(v) || isMap(v) || isPlainObject(v)) return false;
    const what = v instanceof Tensor ? 'Tensor' : typeof v === 'object' && v !== null ? (v.constructor?.name ?? 'object') : typeof v;
    throw new TorchError(`${fn}: cannot pickle a ${what}; torch-node's object collectives take ${PLAIN_DATA} (send tensors with the tensor collectives)`);
  });
  pickler.write(obj);
  const bytes = pickler.finish();
  return [fromData(bytes.slice(), { dtype: uint8 }), fromData([bytes.length], { dtype: int64 })];
}

/** Python's _tensor_to_object: unpickles the first `size` bytes (plain data, and what torch.load allows). */
function tensorToObject(fn: string, t: Tensor, size: number): unknown {
  const bytes = (t.contiguous().toTypedArray() as Uint8Array).subarray(0, size);
  const noStorages = (): never => {
    throw new TorchError('tensors inside objects are not supported');
  };
  try {
    const { value } = unpickle(bytes, restrictedHooks(noStorages));
    return materialize(value, new TensorBuilder(noStorages, undefined));
  } catch (e) {
    const reason = (e as Error).message.replace(/^Weights only load failed: /, '');
    throw new TorchError(`${fn}: cannot unpickle the object a rank sent (torch-node's object collectives take ${PLAIN_DATA}): ${reason}`);
  }
}

const sizeOf = (t: Tensor): number => Number(t.item());
const onDevice = (t: Tensor, device: DeviceLike | null | undefined): Tensor => (device === null || device === undefined ? t : t.to(device));

interface GroupOption {
  group?: Group;
}
const GROUP = ['group'] as const;
keysOf<GroupOption>()(...GROUP);

/** all_gather_object(object_list, obj, group=None): object_list[i] becomes rank i's obj. */
export function allGatherObject(objectList: unknown[], obj: unknown, ...rest: Rest<GroupOption, typeof GROUP>): void {
  const { group } = parse<GroupOption>('all_gather_object', given(rest), GROUP);
  if (rankNotInGroup(group)) return warnNotInGroup('all_gather_object');
  const [input, localSize] = objectToTensor('all_gather_object', obj);
  const groupSize = getWorldSize(group);
  const sizes = Array.from({ length: groupSize }, () => zeros([1], { dtype: int64 }));
  allGather(sizes, localSize, { group });
  const maxSize = Math.max(...sizes.map(sizeOf));
  const outputs = Array.from({ length: groupSize }, () => empty([maxSize], { dtype: uint8 }));
  allGather(outputs, padded(input, maxSize), { group });
  outputs.forEach((t, i) => (objectList[i] = tensorToObject('all_gather_object', t, sizeOf(sizes[i]))));
}

/** The pickle tensor resized to `size` bytes (Python's resize_: what lies past the pickle does not matter). */
function padded(t: Tensor, size: number): Tensor {
  if (t.numel() === size) return t;
  return cat([t, zeros([size - t.numel()], { dtype: uint8 })]);
}

export interface GatherObjectOptions extends GroupOption {
  objectGatherList?: unknown[] | null;
  dst?: number;
}
const GATHER_OBJECT = ['objectGatherList', 'dst', 'group'] as const;
keysOf<GatherObjectOptions>()(...GATHER_OBJECT);

/** gather_object(obj, object_gather_list=None, dst=0, group=None): dst's object_gather_list[i] becomes rank i's obj. */
export function gatherObject(obj: unknown, ...rest: Rest<GatherObjectOptions, typeof GATHER_OBJECT>): void {
  const o = parse<GatherObjectOptions>('gather_object', given(rest), GATHER_OBJECT);
  const { group } = o;
  if (rankNotInGroup(group)) return warnNotInGroup('gather_object');
  const dst = o.dst ?? 0;
  const myRank = getRank();
  const gatherList = o.objectGatherList;
  // Python's _validate_output_list_for_rank (an empty list counts as none)
  const hasList = Array.isArray(gatherList) && gatherList.length > 0;
  if (dst === myRank && !hasList) throw new ValueError('Argument ``gather_list`` must be specified on destination rank.');
  if (dst !== myRank && hasList) throw new ValueError('Argument ``gather_list`` must NOT be specified on non-destination ranks.');
  const [input, localSize] = objectToTensor('gather_object', obj);
  const groupSize = getWorldSize(group);
  const sizes = Array.from({ length: groupSize }, () => zeros([1], { dtype: int64 }));
  allGather(sizes, localSize, { group });
  const maxSize = Math.max(...sizes.map(sizeOf));
  const outputs = myRank === dst ? Array.from({ length: groupSize }, () => empty([maxSize], { dtype: uint8 })) : null;
  gather(padded(input, maxSize), { gatherList: outputs, dst, group });
  if (outputs === null) return;
  outputs.forEach((t, i) => (gatherList![i] = tensorToObject('gather_object', t, sizeOf(sizes[i]))));
}

export interface BroadcastObjectListOptions extends GroupOption {
  src?: number;
  device?: DeviceLike | null;
}
const BROADCAST_OBJECT_LIST = ['src', 'group', 'device'] as const;
keysOf<BroadcastObjectListOptions>()(...BROADCAST_OBJECT_LIST);

/** broadcast_object_list(object_list, src=0, group=None, device=None): src's objects into every rank's list (same length everywhere). */
export function broadcastObjectList(objectList: unknown[], ...rest: Rest<BroadcastObjectListOptions, typeof BROADCAST_OBJECT_LIST>): void {
  const o = parse<BroadcastObjectListOptions>('broadcast_object_list', given(rest), BROADCAST_OBJECT_LIST);
  const { group, device } = o;
  if (rankNotInGroup(group)) return warnNotInGroup('broadcast_object_list');
  const src = o.src ?? 0;
  const isSrc = getRank() === src;
  // the sizes first, then every pickle in one tensor
  const pickles = isSrc ? objectList.map((obj) => objectToTensor('broadcast_object_list', obj)) : [];
  const sizes = onDevice(isSrc ? cat(pickles.map((p) => p[1])) : empty([objectList.length], { dtype: int64 }), device);
  broadcast(sizes, src, { group });
  const sizeList = (sizes.tolist() as number[]).map(Number);
  const total = sizeList.reduce((a, b) => a + b, 0);
  const objects = onDevice(isSrc ? cat(pickles.map((p) => p[0])) : empty([total], { dtype: uint8 }), device);
  broadcast(objects, src, { group });
  if (isSrc) return;
  let offset = 0;
  sizeList.forEach((size, i) => {
    objectList[i] = tensorToObject('broadcast_object_list', objects.narrow(0, offset, size), size);
    offset += size;
  });
}

interface ScatterObjectListOptions extends GroupOption {
  src?: number;
}
const SCATTER_OBJECT_LIST = ['src', 'group'] as const;
keysOf<ScatterObjectListOptions>()(...SCATTER_OBJECT_LIST);

/** scatter_object_list(scatter_object_output_list, scatter_object_input_list, src=0, group=None): output[0] becomes src's input[rank]. */
export function scatterObjectList(
  scatterObjectOutputList: unknown[],
  scatterObjectInputList: unknown[] | null | undefined,
  ...rest: Rest<ScatterObjectListOptions, typeof SCATTER_OBJECT_LIST>
): void {
  const o = parse<ScatterObjectListOptions>('scatter_object_list', given(rest), SCATTER_OBJECT_LIST);
  const { group } = o;
  if (rankNotInGroup(group)) return warnNotInGroup('scatter_object_list');
  if (!Array.isArray(scatterObjectOutputList) || scatterObjectOutputList.length < 1) {
    throw new TorchError('Expected argument scatter_object_output_list to be a list of size at least 1.');
  }
  const src = o.src ?? 0;
  // Python compares the group rank with src here, and passes src on as a global rank
  const isSrc = getRank(group) === src;
  let pickles: Tensor[] | null = null;
  let sizes: Tensor[] | null = null;
  let maxSize: Tensor;
  if (isSrc) {
    const pairs = (scatterObjectInputList ?? []).map((obj) => objectToTensor('scatter_object_list', obj));
    sizes = pairs.map((p) => p[1]);
    maxSize = fromData([Math.max(...sizes.map(sizeOf))], { dtype: int64 });
    pickles = pairs.map((p) => padded(p[0], sizeOf(maxSize)));
  } else {
    maxSize = zeros([1], { dtype: int64 });
  }
  broadcast(maxSize, src, { group });
  const output = empty([sizeOf(maxSize)], { dtype: uint8 });
  scatter(output, { scatterList: pickles, src, group });
  const objectSize = zeros([1], { dtype: int64 });
  scatter(objectSize, { scatterList: sizes, src, group });
  scatterObjectOutputList[0] = tensorToObject('scatter_object_list', output, sizeOf(objectSize));
}
