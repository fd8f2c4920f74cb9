// torch.distributed.Work: the handle of a collective started with asyncOp (or isend/irecv).
import type { WorkHandle } from '../native';
import { Tensor } from '../tensor/tensor';
import { c10d } from './native-c10d';
import { Timedelta, toMillis } from './timeout';

export class Work {
  /** @internal */
  constructor(readonly _h: WorkHandle) {}

  /** Blocks until the collective is done (a failed one throws here); false when the timeout passed first. */
  wait(timeout?: Timedelta): boolean {
    return c10d().workWait(this._h, timeout === undefined ? undefined : toMillis(timeout));
  }
  isCompleted(): boolean {
    return c10d().workInfo(this._h).completed;
  }
  isSuccess(): boolean {
    return c10d().workInfo(this._h).success;
  }
  /** The rank a recv from any source got its tensor from. */
  sourceRank(): number {
    return c10d().workInfo(this._h).sourceRank;
  }
  /** The output tensors. */
  result(): Tensor[] {
    return c10d().workResult(this._h).map((h) => new Tensor(h));
  }
  /** Python's get_future(): settles when the collective is done, waiting off the JS thread, with its output tensors. */
  async getFuture(): Promise<Tensor[]> {
    await c10d().workWaitAsync(this._h);
    return this.result();
  }
}
