// torch.distributed's tensor collectives and point-to-point calls (distributed_c10d.py): checks,
// group-rank translation and complex tensors as Python's. Each blocks until done, or with
// asyncOp returns the Work to wait on. Ranks (src, dst) are global ranks, as in Python.
import { TorchError, ValueError, warn } from '../errors';
import { keysOf, parse, given, Rest } from '../keywords';
import { aten } from '../tensor/aten';
import { Tensor } from '../tensor/tensor';
import { getGlobalRank, getGroupRank, getRank, Group, GroupMember, rankNotInGroup, resolveGroup, warnNotInGroup } from './groups';
import type { ProcessGroup } from './process-group';
import { ReduceOp, supportsComplex } from './reduce-op';
import type { Work } from './work';

const viewAsRealOp = aten('view_as_real', '');
/** Complex tensors travel as their real views (gloo reduces real numbers). */
export const real = (t: Tensor): Tensor => (t.dtype.isComplex ? (viewAsRealOp([t]) as Tensor) : t);

/** Python's _check_single_tensor. */
export function checkTensor(param: unknown, name: string): void {
  if (!(param instanceof Tensor)) throw new TorchError(`Invalid function argument. Expected parameter \`${name}\` to be of type torch.Tensor.`);
}
export function checkTensorList(param: unknown, name: string): void {
  if (!Array.isArray(param) || !param.every((p) => p instanceof Tensor)) {
    throw new TorchError(`Invalid function argument. Expected parameter \`${name}\` to be of type List[torch.Tensor].`);
  }
}
/** Python's _ensure_all_tensors_same_dtype (a complex dtype counts as its real one). */
export function sameDtype(...tensors: (Tensor | Tensor[])[]): void {
  let last: string | null = null;
  for (const t of tensors.flat()) {
    const name = t.dtype.isComplex ? (t.dtype.name === 'complex64' ? 'float32' : 'float64') : t.dtype.name;
    if (last !== null && last !== name) throw new TorchError(`Invalid usage of tensors with different dtypesFound torch.${last} and  ${String(t.dtype)}`);
    last = name;
  }
}

/** Python's `if _rank_not_in_group(group): _warn_not_in_group(op); return`: true when skipped. */
function skippedOutsideGroup(opName: string, group: Group): boolean {
  if (!rankNotInGroup(group)) return false;
  warnNotInGroup(opName);
  return true;
}

/** Runs a collective on the group (or warns off a non-member), then waits unless asyncOp. */
export function run(opName: string, group: Group, asyncOp: boolean | undefined, start: (pg: ProcessGroup) => Work): Work | undefined {
  if (skippedOutsideGroup(opName, group)) return undefined;
  const work = start(resolveGroup(group));
  if (asyncOp) return work;
  work.wait();
  return undefined;
}

export interface GroupOptions {
  group?: Group;
  asyncOp?: boolean;
}

export interface AllReduceOptions extends GroupOptions {
  op?: ReduceOp;
}
export const ALL_REDUCE = ['op', 'group', 'asyncOp'] as const;
keysOf<AllReduceOptions>()(...ALL_REDUCE);

/** all_reduce(tensor, op=SUM, group=None, async_op=False): every rank's tensor becomes the reduction of all. */
export function allReduce(tensor: Tensor, ...rest: Rest<AllReduceOptions, typeof ALL_REDUCE>): Work | undefined {
  const o = parse<AllReduceOptions>('all_reduce', given(rest), ALL_REDUCE);
  checkTensor(tensor, 'tensor');
  const op = o.op ?? ReduceOp.SUM;
  if (tensor.dtype.isComplex && !rankNotInGroup(o.group) && !supportsComplex(op)) throw new TorchError(`all_reduce does not support ${String(op)} on complex tensors`);
  return run('all_reduce', o.group, o.asyncOp, (pg) => pg._start('allreduce', [real(tensor)], op.value));
}

/** all_reduce_coalesced(tensors, op=SUM, group=None, async_op=False): one all_reduce for a list. */
export function allReduceCoalesced(tensors: Tensor[], ...rest: Rest<AllReduceOptions, typeof ALL_REDUCE>): Work | undefined {
  const o = parse<AllReduceOptions>('all_reduce_coalesced', given(rest), ALL_REDUCE);
  checkTensorList(tensors, 'tensor');
  sameDtype(tensors);
  const op = o.op ?? ReduceOp.SUM;
  if (!rankNotInGroup(o.group) && tensors.some((t) => t.dtype.isComplex) && !supportsComplex(op)) throw new TorchError(`all_reduce does not support ${String(op)} on complex tensors`);
  return run('all_reduce_coalesced', o.group, o.asyncOp, (pg) => pg._start('allreduceCoalesced', tensors.map(real), op.value));
}

export const GROUP_ARGS = ['group', 'asyncOp'] as const;
keysOf<GroupOptions>()(...GROUP_ARGS);

/** broadcast(tensor, src, group=None, async_op=False): src's tensor copied into every rank's. */
export function broadcast(tensor: Tensor, src: number, ...rest: Rest<GroupOptions, typeof GROUP_ARGS>): Work | undefined {
  const o = parse<GroupOptions>('broadcast', given(rest), GROUP_ARGS);
  checkTensor(tensor, 'tensor');
  return run('broadcast', o.group, o.asyncOp, (pg) => pg._start('broadcast', [tensor], getGroupRank(pg, src)));
}

/** reduce(tensor, dst, op=SUM, group=None, async_op=False): the reduction lands in dst's tensor. */
export function reduce(tensor: Tensor, dst: number, ...rest: Rest<AllReduceOptions, typeof ALL_REDUCE>): Work | undefined {
  const o = parse<AllReduceOptions>('reduce', given(rest), ALL_REDUCE);
  checkTensor(tensor, 'tensor');
  return run('reduce', o.group, o.asyncOp, (pg) => pg._start('reduce', [tensor], (o.op ?? ReduceOp.SUM).value, getGroupRank(pg, dst)));
}

/** all_gather(tensor_list, tensor, group=None, async_op=False): tensor_list[i] gets rank i's tensor. */
export function allGather(tensorList: Tensor[], tensor: Tensor, ...rest: Rest<GroupOptions, typeof GROUP_ARGS>): Work | undefined {
  const o = parse<GroupOptions>('all_gather', given(rest), GROUP_ARGS);
  checkTensorList(tensorList, 'tensor_list');
  checkTensor(tensor, 'tensor');
  sameDtype(tensorList, tensor);
  return run('all_gather', o.group, o.asyncOp, (pg) => pg._start('allgather', [tensorList.map(real)], [real(tensor)]));
}

/** all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False): the ranks' inputs concatenated. */
export function allGatherIntoTensor(outputTensor: Tensor, inputTensor: Tensor, ...rest: Rest<GroupOptions, typeof GROUP_ARGS>): Work | undefined {
  const o = parse<GroupOptions>('all_gather_into_tensor', given(rest), GROUP_ARGS);
  checkTensor(inputTensor, 'input_tensor');
  checkTensor(outputTensor, 'output_tensor');
  return run('all_gather_into_tensor', o.group, o.asyncOp, (pg) => pg._start('allgatherBase', real(outputTensor), real(inputTensor)));
}

export interface GatherOptions extends GroupOptions {
  gatherList?: Tensor[] | null;
  dst?: number;
}
const GATHER = ['gatherList', 'dst', 'group', 'asyncOp'] as const;
keysOf<GatherOptions>()(...GATHER);

/** gather(tensor, gather_list=None, dst=0, group=None, async_op=False): dst's gather_list gets every rank's tensor. */
export function gather(tensor: Tensor, ...rest: Rest<GatherOptions, typeof GATHER>): Work | undefined {
  const o = parse<GatherOptions>('gather', given(rest), GATHER);
  checkTensor(tensor, 'tensor');
  const gatherList = o.gatherList && o.gatherList.length > 0 ? o.gatherList : [];
  if (gatherList.length > 0) checkTensorList(gatherList, 'gather_list');
  sameDtype(tensor, gatherList);
  const dst = o.dst ?? 0;
  if (skippedOutsideGroup('gather', o.group)) return undefined;
  const myRank = getRank();
  if (dst === myRank && gatherList.length === 0) throw new ValueError('Argument ``gather_list`` must be specified on destination rank.');
  if (dst !== myRank && gatherList.length > 0) throw new ValueError('Argument ``gather_list`` must NOT be specified on non-destination ranks.');
  return run('gather', o.group, o.asyncOp, (pg) => pg._start('gather', dst === myRank ? [gatherList] : [], [tensor], getGroupRank(pg, dst)));
}

export interface ScatterOptions extends GroupOptions {
  scatterList?: Tensor[] | null;
  src?: number;
}
const SCATTER = ['scatterList', 'src', 'group', 'asyncOp'] as const;
keysOf<ScatterOptions>()(...SCATTER);

/** scatter(tensor, scatter_list=None, src=0, group=None, async_op=False): rank i's tensor gets src's scatter_list[i]. */
export function scatter(tensor: Tensor, ...rest: Rest<ScatterOptions, typeof SCATTER>): Work | undefined {
  const o = parse<ScatterOptions>('scatter', given(rest), SCATTER);
  checkTensor(tensor, 'tensor');
  const scatterList = o.scatterList && o.scatterList.length > 0 ? o.scatterList : [];
  if (scatterList.length > 0) checkTensorList(scatterList, 'scatter_list');
  sameDtype(tensor, scatterList);
  const src = o.src ?? 0;
  if (skippedOutsideGroup('scatter', o.group)) return undefined;
  const myRank = getRank();
  if (src === myRank && scatterList.length === 0) throw new ValueError('Argument ``scatter_list`` must be specified on source rank.');
  if (src !== myRank && scatterList.length > 0) throw new ValueError('Argument ``scatter_list`` must NOT be specified on non-source ranks.');
  const inputs = src === myRank ? [scatterList.map(real)] : [];
  return run('scatter', o.group, o.asyncOp, (pg) => pg._start('scatter', [real(tensor)], inputs, getGroupRank(pg, src)));
}

/** reduce_scatter(output, input_list, op=SUM, group=None, async_op=False) (gloo has none: its error). */
export function reduceScatter(output: Tensor, inputList: Tensor[], ...rest: Rest<AllReduceOptions, typeof ALL_REDUCE>): Work | undefined {
  const o = parse<AllReduceOptions>('reduce_scatter', given(rest), ALL_REDUCE);
  checkTensor(output, 'output');
  checkTensorList(inputList, 'input_list');
  sameDtype(output, inputList);
  return run('reduce_scatter', o.group, o.asyncOp, (pg) => pg._start('reduceScatter', [output], [inputList], (o.op ?? ReduceOp.SUM).value));
}

/** reduce_scatter_tensor(output, input, op=SUM, group=None, async_op=False): rank i gets the reduction of every rank's i-th chunk (gloo has none: its error). */
export function reduceScatterTensor(output: Tensor, input: Tensor, ...rest: Rest<AllReduceOptions, typeof ALL_REDUCE>): Work | undefined {
  const o = parse<AllReduceOptions>('reduce_scatter_tensor', given(rest), ALL_REDUCE);
  checkTensor(output, 'output');
  checkTensor(input, 'input');
  return run('reduce_scatter_tensor', o.group, o.asyncOp, (pg) => pg._start('reduceScatterBase', output, input, (o.op ?? ReduceOp.SUM).value));
}

/**
 * all_gather_coalesced(output_tensor_lists, input_tensor_list, group=None, async_op=False)
 * (deprecated, with Python's warning): output_tensor_lists[i] gets rank i's input_tensor_list;
 * with asyncOp, the Work's future (a Promise of the outputs).
 */
export function allGatherCoalesced(
  outputTensorLists: Tensor[][], inputTensorList: Tensor[], ...rest: Rest<GroupOptions, typeof GROUP_ARGS>
): Promise<Tensor[]> | undefined {
  const o = parse<GroupOptions>('all_gather_coalesced', given(rest), GROUP_ARGS);
  warn(
    'torch.distributed.all_gather_coalesced will be deprecated. If you must use it, please revisit our documentation later at ' +
      'https://pytorch.org/docs/master/distributed.html#collective-functions',
  );
  if (skippedOutsideGroup('all_gather_coalesced', o.group)) return undefined;
  checkTensorList(inputTensorList, 'tensor_list');
  sameDtype(inputTensorList);
  if (!Array.isArray(outputTensorLists)) throw new TorchError('Invalid function argument: output_tensor_lists should be a list');
  for (const list of outputTensorLists) {
    checkTensorList(list, 'output_tensor_lists');
    sameDtype(list);
  }
  const outputs = outputTensorLists.map((list) => list.map(real));
  const work = resolveGroup(o.group)._start('allgatherCoalesced', outputs, inputTensorList.map(real));
  if (o.asyncOp) return work.getFuture();
  work.wait();
  return undefined;
}

export interface AllToAllSingleOptions extends GroupOptions {
  outputSplitSizes?: number[] | null;
  inputSplitSizes?: number[] | null;
}
const ALL_TO_ALL_SINGLE = ['outputSplitSizes', 'inputSplitSizes', 'group', 'asyncOp'] as const;
keysOf<AllToAllSingleOptions>()(...ALL_TO_ALL_SINGLE);

/** all_to_all_single(output, input, output_split_sizes=None, input_split_sizes=None, group=None, async_op=False). */
export function allToAllSingle(output: Tensor, input: Tensor, ...rest: Rest<AllToAllSingleOptions, typeof ALL_TO_ALL_SINGLE>): Work | undefined {
  const o = parse<AllToAllSingleOptions>('all_to_all_single', given(rest), ALL_TO_ALL_SINGLE);
  if (skippedOutsideGroup('all_to_all_single', o.group)) return undefined;
  checkTensor(output, 'output');
  checkTensor(input, 'input');
  sameDtype(output, input);
  return run('all_to_all_single', o.group, o.asyncOp, (pg) =>
    pg._start('alltoallBase', real(output), real(input), o.outputSplitSizes ?? [], o.inputSplitSizes ?? []),
  );
}

/** all_to_all(output_tensor_list, input_tensor_list, group=None, async_op=False): rank i's input j lands in rank j's output i. */
export function allToAll(outputTensorList: Tensor[], inputTensorList: Tensor[], ...rest: Rest<GroupOptions, typeof GROUP_ARGS>): Work | undefined {
  const o = parse<GroupOptions>('all_to_all', given(rest), GROUP_ARGS);
  if (skippedOutsideGroup('all_to_all', o.group)) return undefined;
  checkTensorList(outputTensorList, 'output_tensor_list');
  checkTensorList(inputTensorList, 'input_tensor_list');
  sameDtype(outputTensorList, inputTensorList);
  return run('all_to_all', o.group, o.asyncOp, (pg) => pg._start('alltoall', outputTensorList.map(real), inputTensorList.map(real)));
}

/** barrier(group=WORLD, async_op=False): returns once every rank has called it. */
export function barrier(...rest: Rest<GroupOptions, typeof GROUP_ARGS>): Work | undefined {
  const o = parse<GroupOptions>('barrier', given(rest), GROUP_ARGS);
  return run('barrier', o.group ?? GroupMember.WORLD, o.asyncOp, (pg) => pg._start('barrier'));
}

interface P2POptions {
  group?: Group;
  tag?: number;
}
const P2P = ['group', 'tag'] as const;
keysOf<P2POptions>()(...P2P);

/** isend(tensor, dst, group=None, tag=0) -> Work. */
export function isend(tensor: Tensor, dst: number, ...rest: Rest<P2POptions, typeof P2P>): Work | undefined {
  const o = parse<P2POptions>('isend', given(rest), P2P);
  checkTensor(tensor, 'tensor');
  return run('isend', o.group, true, (pg) => pg._start('send', [tensor], getGroupRank(pg, dst), o.tag ?? 0));
}

/** send(tensor, dst, group=None, tag=0): blocks until the tensor is sent. */
export function send(tensor: Tensor, dst: number, ...rest: Rest<P2POptions, typeof P2P>): void {
  isend(tensor, dst, ...(rest as []))?.wait();
}

/** irecv(tensor, src=None, group=None, tag=0) -> Work (src null: from any rank). */
export function irecv(tensor: Tensor, src?: number | null, ...rest: Rest<P2POptions, typeof P2P>): Work | undefined {
  const o = parse<P2POptions>('irecv', given(rest), P2P);
  checkTensor(tensor, 'tensor');
  const tag = o.tag ?? 0;
  return run('irecv', o.group, true, (pg) =>
    src === null || src === undefined ? pg._start('recvAnysource', [tensor], tag) : pg._start('recv', [tensor], getGroupRank(pg, src), tag),
  );
}

/** recv(tensor, src=None, group=None, tag=0) -> the sender's global rank (-1 outside the group). */
export function recv(tensor: Tensor, src?: number | null, ...rest: Rest<P2POptions, typeof P2P>): number {
  const o = parse<P2POptions>('recv', given(rest), P2P);
  const work = irecv(tensor, src, o);
  if (work === undefined) return -1;
  work.wait();
  if (src !== null && src !== undefined) return src;
  const pg = resolveGroup(o.group);
  return getGlobalRank(pg, work.sourceRank());
}
