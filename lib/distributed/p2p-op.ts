// torch.distributed.P2POp and batch_isend_irecv: point-to-point sends and receives described first,
// then started together on one group, each giving its Work (gloo has no coalescing: they simply start
// in order, which must match the peers' order, as in Python).
import { TorchError } from '../errors';
import { Call, signature } from '../keywords';
import { Tensor } from '../tensor/tensor';
import { checkTensor, irecv, isend } from './collectives';
import type { Group } from './groups';
import type { Work } from './work';

type P2PFunction = typeof isend | typeof irecv;

/** P2POp's parameters by name: P2POp(op, tensor, peer, group=None, tag=0). */
export interface P2POpArgs {
  op: P2PFunction;
  tensor: Tensor;
  peer: number;
  group?: Group;
  tag?: number;
}

const P2P_OP = signature<P2POpArgs>()(['op', 'tensor', 'peer'], ['group', 'tag']);

/** One send (op = isend) or receive (op = irecv) of `tensor` with global rank `peer`, for batchIsendIrecv. */
export class P2POp {
  readonly op: P2PFunction;
  readonly tensor: Tensor;
  readonly peer: number;
  readonly group: Group;
  readonly tag: number;
  constructor(...args: Call<P2POpArgs, ['op', 'tensor', 'peer'], ['group', 'tag']>) {
    const a = P2P_OP.bind('P2POp', args) as P2POpArgs;
    if (a.op !== isend && a.op !== irecv) {
      throw new TorchError('Invalid ``op``. Expected ``op`` to be of type ``torch.distributed.isend`` or ``torch.distributed.irecv``.');
    }
    checkTensor(a.tensor, 'tensor');
    this.op = a.op;
    this.tensor = a.tensor;
    this.peer = a.peer;
    this.group = a.group ?? null;
    this.tag = a.tag ?? 0;
  }
}

/** batch_isend_irecv(p2p_op_list): starts every op (all on one group) and returns their Works. */
export function batchIsendIrecv(p2pOpList: P2POp[]): Work[] {
  if (!Array.isArray(p2pOpList) || !p2pOpList.every((p) => p instanceof P2POp)) {
    throw new TorchError('Invalid ``p2p_op_list``. Each op is expected to to be of type ``torch.distributed.P2POp``.');
  }
  const group = p2pOpList[0].group;
  if (!p2pOpList.every((p) => p.group === group)) throw new TorchError('All ops need to use the same group.');
  const works: Work[] = [];
  for (const p of p2pOpList) {
    const work = p.op(p.tensor, p.peer, p.group, p.tag);
    if (work !== undefined) works.push(work);
  }
  return works;
}
