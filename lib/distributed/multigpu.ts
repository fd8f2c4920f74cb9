// torch.distributed's *_multigpu collectives (deprecated in 1.13, each with Python's warning): one
// tensor per device of this process in each list. Gloo takes them on CPU as well: its collectives
// then treat the list's tensors as more local inputs (one tensor: the plain collective).
import { warn } from '../errors';
import { keysOf, parse, given, Rest } from '../keywords';
import type { Tensor } from '../tensor/tensor';
import { ALL_REDUCE, AllReduceOptions, GROUP_ARGS, GroupOptions, real, run } from './collectives';
import { getGroupRank, rankNotInGroup } from './groups';
import { ReduceOp } from './reduce-op';
import type { Work } from './work';

function deprecated(name: string): void {
  warn(
    `torch.distributed.${name} will be deprecated. If you must use it, please revisit our documentation later at ` +
      'https://pytorch.org/docs/master/distributed.html#multi-gpu-collective-functions',
  );
}

/** all_reduce_multigpu(tensor_list, op=SUM, group=None, async_op=False) */
export function allReduceMultigpu(tensorList: Tensor[], ...rest: Rest<AllReduceOptions, typeof ALL_REDUCE>): Work | undefined {
  const o = parse<AllReduceOptions>('all_reduce_multigpu', given(rest), ALL_REDUCE);
  deprecated('all_reduce_multigpu');
  // Python returns here without the not-in-group warning the others give
  if (rankNotInGroup(o.group)) return undefined;
  const op = o.op ?? ReduceOp.SUM;
  return run('all_reduce_multigpu', o.group, o.asyncOp, (pg) => pg._start('allreduce', tensorList.map(real), op.value));
}

export interface BroadcastMultigpuOptions extends GroupOptions {
  srcTensor?: number;
}
const BROADCAST = ['group', 'asyncOp', 'srcTensor'] as const;
keysOf<BroadcastMultigpuOptions>()(...BROADCAST);

/** broadcast_multigpu(tensor_list, src, group=None, async_op=False, src_tensor=0) */
export function broadcastMultigpu(tensorList: Tensor[], src: number, ...rest: Rest<BroadcastMultigpuOptions, typeof BROADCAST>): Work | undefined {
  const o = parse<BroadcastMultigpuOptions>('broadcast_multigpu', given(rest), BROADCAST);
  deprecated('broadcast_multigpu');
  return run('broadcast_multigpu', o.group, o.asyncOp, (pg) => pg._start('broadcast', tensorList, getGroupRank(pg, src), o.srcTensor ?? 0));
}

export interface ReduceMultigpuOptions extends AllReduceOptions {
  dstTensor?: number;
}
const REDUCE = ['op', 'group', 'asyncOp', 'dstTensor'] as const;
keysOf<ReduceMultigpuOptions>()(...REDUCE);

/** reduce_multigpu(tensor_list, dst, op=SUM, group=None, async_op=False, dst_tensor=0) */
export function reduceMultigpu(tensorList: Tensor[], dst: number, ...rest: Rest<ReduceMultigpuOptions, typeof REDUCE>): Work | undefined {
  const o = parse<ReduceMultigpuOptions>('reduce_multigpu', given(rest), REDUCE);
  deprecated('reduce_multigpu');
  const op = o.op ?? ReduceOp.SUM;
  return run('reduce_multigpu', o.group, o.asyncOp, (pg) => pg._start('reduce', tensorList, op.value, getGroupRank(pg, dst), o.dstTensor ?? 0));
}

/** all_gather_multigpu(output_tensor_lists, input_tensor_list, group=None, async_op=False) */
export function allGatherMultigpu(outputTensorLists: Tensor[][], inputTensorList: Tensor[], ...rest: Rest<GroupOptions, typeof GROUP_ARGS>): Work | undefined {
  const o = parse<GroupOptions>('all_gather_multigpu', given(rest), GROUP_ARGS);
  deprecated('all_gather_multigpu');
  const outputs = outputTensorLists.map((list) => list.map(real));
  return run('all_gather_multigpu', o.group, o.asyncOp, (pg) => pg._start('allgather', outputs, inputTensorList.map(real)));
}

/** reduce_scatter_multigpu(output_tensor_list, input_tensor_lists, op=SUM, group=None, async_op=False) (gloo has none: its error). */
export function reduceScatterMultigpu(outputTensorList: Tensor[], inputTensorLists: Tensor[][], ...rest: Rest<AllReduceOptions, typeof ALL_REDUCE>): Work | undefined {
  const o = parse<AllReduceOptions>('reduce_scatter_multigpu', given(rest), ALL_REDUCE);
  deprecated('reduce_scatter_multigpu');
  const op = o.op ?? ReduceOp.SUM;
  return run('reduce_scatter_multigpu', o.group, o.asyncOp, (pg) => pg._start('reduceScatter', outputTensorList, inputTensorLists, op.value));
}

