// Python's train() of the BN-fused QAT modules (ConvBn*, LinearBn1d): BatchNorm's training flag is
// what switches batch statistics on, so once frozen (freeze_bn_stats) model.train() must not turn
// it back on; the children (bn, the fake-quant) then all keep their mode.
import { Module } from '../../module';
import { bind } from '../../../keywords';

/** train(mode = true) of a module with a freeze_bn flag: itself always, its children only while not frozen. */
export function trainUnlessFrozen<M extends Module & { freeze_bn: boolean }>(m: M, args: readonly unknown[]): M {
  const { mode = true } = bind<{ mode?: boolean }>('train', [m, ...args], ['self'], ['mode']);
  m.training = mode;
  if (!m.freeze_bn) for (const child of m.children()) child.train(mode);
  return m;
}
