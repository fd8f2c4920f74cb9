// torch.distributed.ReduceOp: how a collective combines the ranks' tensors (c10d's RedOpType codes).
import { warn } from '../errors';

export class ReduceOp {
  private constructor(readonly name: string, readonly value: number) {}
  static readonly SUM = new ReduceOp('SUM', 0);
  /** Mean over the ranks: NCCL only (gloo raises). */
  static readonly AVG = new ReduceOp('AVG', 1);
  static readonly PRODUCT = new ReduceOp('PRODUCT', 2);
  static readonly MIN = new ReduceOp('MIN', 3);
  static readonly MAX = new ReduceOp('MAX', 4);
  static readonly BAND = new ReduceOp('BAND', 5);
  static readonly BOR = new ReduceOp('BOR', 6);
  static readonly BXOR = new ReduceOp('BXOR', 7);
  toString(): string {
    return `<RedOpType.${this.name}: ${this.value}>`;
  }
}

/** Python's supports_complex: the ops that make sense on a complex tensor's real view. */
export function supportsComplex(op: ReduceOp): boolean {
  return ![ReduceOp.MAX, ReduceOp.MIN, ReduceOp.PRODUCT, ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR].includes(op);
}

/**
 * torch.distributed.reduce_op: the deprecated spelling of ReduceOp's members, warning at each use
 * as Python's does.
 */
export const reduceOp: Readonly<Record<'SUM' | 'AVG' | 'PRODUCT' | 'MIN' | 'MAX' | 'BAND' | 'BOR' | 'BXOR', ReduceOp>> = new Proxy(
  { SUM: ReduceOp.SUM, AVG: ReduceOp.AVG, PRODUCT: ReduceOp.PRODUCT, MIN: ReduceOp.MIN, MAX: ReduceOp.MAX, BAND: ReduceOp.BAND, BOR: ReduceOp.BOR, BXOR: ReduceOp.BXOR },
  {
    get(members, key) {
      warn('torch.distributed.reduce_op is deprecated, please use torch.distributed.ReduceOp instead');
      return Reflect.get(members, key);
    },
  },
);
