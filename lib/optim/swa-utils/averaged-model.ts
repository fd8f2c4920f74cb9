// torch.optim.swa_utils.AveragedModel: a deep copy of a model (`module`) whose parameters (and,
// with useBuffers, buffers) are a running average of the model's, plus the `n_averaged` buffer, so
// its state_dict keys are Python's ('n_averaged', 'module.…'). avgFn is a plain attribute, not state,
// as in Python; subclasses pass their own (torchvision's ExponentialMovingAverage).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor } from '../../tensor/create';
import { int64 } from '../../tensor/dtype';
import { DeviceLike } from '../../tensor/device';
import { Module } from '../../nn/module';
import { deepcopy } from '../../nn/clone';
import { Call, bind, signature } from '../../keywords';

/** avg_fn(averaged_model_parameter, model_parameter, num_averaged): the new averaged value. */
export type AvgFn = (averagedModelParameter: Tensor, modelParameter: Tensor, numAveraged: Tensor) => Tensor;

/** AveragedModel(model, device=None, avg_fn=None, use_buffers=False), any of them by name. */
export interface AveragedModelArgs<M extends Module = Module> {
  model: M;
  device?: DeviceLike | null;
  avgFn?: AvgFn | null;
  useBuffers?: boolean;
}
const AVERAGED_MODEL = signature<AveragedModelArgs>()(['model'], ['device', 'avgFn', 'useBuffers']);

/** Python's default: the equally weighted running mean. */
const equalAverage: AvgFn = (averaged, param, numAveraged) => averaged.add(param.sub(averaged).div(numAveraged.add(1)));

export class AveragedModel<M extends Module = Module> extends Module {
  module: M;
  n_averaged!: Tensor;
  avgFn: AvgFn;
  useBuffers: boolean;

  /** AveragedModel(model, device?, avgFn?, useBuffers = false) */
  constructor(...args: Call<AveragedModelArgs<M>, ['model'], ['device', 'avgFn', 'useBuffers']>) {
    super();
    const a = AVERAGED_MODEL.bind('AveragedModel', args) as AveragedModelArgs<M>;
    if (!(a.model instanceof Module)) throw new TorchError(`AveragedModel() expects an nn.Module, got ${typeof a.model}`);
    const device = a.device ?? undefined;
    this.module = deepcopy(a.model);
    if (device !== undefined) this.module = this.module.to(device);
    this.registerBuffer('n_averaged', tensor(0, { dtype: int64, device }));
    this.avgFn = a.avgFn ?? equalAverage;
    this.useBuffers = a.useBuffers ?? false;
  }

  forward(...inputs: Parameters<M['forward']>): ReturnType<M['forward']> {
    return (this.module as unknown as (...a: unknown[]) => ReturnType<M['forward']>)(...inputs);
  }

  /** update_parameters(model): the first call copies model's values, later ones apply avgFn. */
  updateParameters(...args: [model: Module] | [options: { model: Module }]): void {
    const { model } = bind<{ model: Module }>('update_parameters', args, ['model']);
    const mine = this.useBuffers ? [...this.module.parameters(), ...this.module.buffers()] : [...this.parameters()];
    const theirs = this.useBuffers ? [...model.parameters(), ...model.buffers()] : [...model.parameters()];
    const first = Number(this.n_averaged.item()) === 0;
    // zip(): the shorter list decides, as in Python
    for (let i = 0; i < Math.min(mine.length, theirs.length); i++) {
      const target = mine[i].detach();
      const value = theirs[i].detach().to(target.device);
      target.copy_(first ? value : this.avgFn(target, value, this.n_averaged.to(target.device)));
    }
    this.n_averaged.add_(1);
  }
}
