// torch.optim.swa_utils.update_bn: one pass over the data, without gradients, to recompute every
// BatchNorm's running statistics from scratch as a cumulative average (momentum None), e.g. for an
// AveragedModel whose averaged weights no longer match the statistics. Momenta and the training
// mode are restored afterwards, as in Python.
import { Tensor } from '../../tensor/tensor';
import { zerosLike, onesLike } from '../../tensor/create';
import { DeviceLike } from '../../tensor/device';
import { noGrad } from '../../autograd/grad-mode';
import { Module } from '../../nn/module';
import { BatchNormBase } from '../../nn/layers/batchnorm';
import { ArgsOf, signature } from '../../keywords';

/** A DataLoader or anything iterated the same way: batches that are tensors or lists whose first item is the input. */
export type BatchSource = AsyncIterable<unknown> | Iterable<unknown>;

/** update_bn(loader, model, device=None), any of them by name. */
export interface UpdateBnArgs {
  loader: BatchSource;
  model: Module;
  device?: DeviceLike | null;
}
const UPDATE_BN = signature<UpdateBnArgs>()(['loader', 'model'], ['device']);

/** `await updateBn(loader, model)`: the loader is iterated with for await (a DataLoader, an array of batches). */
export async function updateBn(...args: ArgsOf<typeof UPDATE_BN>): Promise<void> {
  const { loader, model, device } = UPDATE_BN.bind('update_bn', args);
  const momenta = new Map<BatchNormBase, number | null>();
  for (const m of model.modules()) {
    if (!(m instanceof BatchNormBase)) continue;
    m.running_mean = zerosLike(m.running_mean as Tensor);
    m.running_var = onesLike(m.running_var as Tensor);
    momenta.set(m, m.momentum);
  }
  if (momenta.size === 0) return;

  const wasTraining = model.training;
  model.train();
  for (const m of momenta.keys()) {
    m.momentum = null;
    noGrad(() => m.num_batches_tracked!.mul_(0));
  }
  await noGrad(async () => {
    for await (const batch of loader) {
      let input = Array.isArray(batch) ? batch[0] : batch;
      if (device !== undefined && device !== null) input = (input as Tensor).to(device);
      (model as unknown as (x: unknown) => unknown)(input);
    }
  });
  for (const [m, momentum] of momenta) m.momentum = momentum;
  model.train(wasTraining);
}
