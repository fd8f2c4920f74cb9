// torch.distributed.ProcessGroup: a set of ranks that run collectives together (gloo here).
import type { ProcessGroupHandle } from '../native';
import { Tensor } from '../tensor/tensor';
import { c10d } from './native-c10d';
import { Work } from './work';

export class ProcessGroup {
  /** @internal */
  constructor(readonly _h: ProcessGroupHandle) {}

  /** This process's rank in the group. */
  rank(): number {
    return c10d().processGroupInfo(this._h).rank;
  }
  size(): number {
    return c10d().processGroupInfo(this._h).size;
  }
  /** @internal starts the C++ ProcessGroup method `op` (tensor lists as handle lists) */
  _start(op: string, ...args: unknown[]): Work {
    return new Work(c10d().collective(this._h, op, ...args.map(handles)));
  }
  toString(): string {
    return `<torch.distributed.ProcessGroup${c10d().processGroupInfo(this._h).backend === 'gloo' ? 'Gloo' : ''} rank=${this.rank()} size=${this.size()}>`;
  }
}

/** Tensors (in lists, nested lists) as their handles; other arguments as they are. */
function handles(arg: unknown): unknown {
  if (arg instanceof Tensor) return arg._h;
  return Array.isArray(arg) ? arg.map(handles) : arg;
}
