// torch.optim.swa_utils.SWALR: anneals each group's lr to its swa_lr over annealEpochs steps
// (cosine or linear), then holds it. Each group gets Python's `swa_lr` key (swaLr here), which is how
// the lr formula reads it back, and how an optimizer state dict carries it.
import { ValueError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler } from '../lr-scheduler/lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export type AnnealStrategy = 'cos' | 'linear';

export interface SWALROptions {
  annealEpochs?: number;
  annealStrategy?: AnnealStrategy;
  lastEpoch?: number;
}

/** SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy='cos', last_epoch=-1), any of them by name. */
export interface SWALRArgs extends SWALROptions {
  optimizer: Optimizer;
  swaLr: number | number[];
}
const SWALR_SIGNATURE = signature<SWALRArgs>()(['optimizer', 'swaLr'], ['annealEpochs', 'annealStrategy', 'lastEpoch']);

const linearAnneal = (t: number): number => t;
const cosineAnneal = (t: number): number => (1 - Math.cos(Math.PI * t)) / 2;

/** The lr before annealing that, mixed by alpha with swaLr, gives lr (Python's _get_initial_lr). */
function initialLr(lr: number, swaLr: number, alpha: number): number {
  if (alpha === 1) return swaLr;
  return (lr - alpha * swaLr) / (1 - alpha);
}

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

export class SWALR extends LRScheduler {
  /** a function, so (as in Python's, where it is not picklable data) left out of stateDict's JSON-able fields */
  annealFunc: (t: number) => number;
  annealEpochs: number;

  constructor(...args: ArgsOf<typeof SWALR_SIGNATURE>) {
    const { optimizer, swaLr, annealEpochs = 10, annealStrategy = 'cos', lastEpoch = -1 } = SWALR_SIGNATURE.bind('SWALR', args);
    const groups = optimizer.paramGroups;
    if (Array.isArray(swaLr) && swaLr.length !== groups.length) {
      throw new ValueError(`swa_lr must have the same length as optimizer.param_groups: swa_lr has ${swaLr.length}, optimizer.param_groups has ${groups.length}`);
    }
    groups.forEach((g, i) => (g.swaLr = Array.isArray(swaLr) ? swaLr[i] : swaLr));
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new ValueError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(annealStrategy)}`);
    }
    if (!Number.isInteger(annealEpochs) || annealEpochs < 0) {
      throw new ValueError(`anneal_epochs must be equal or greater than 0, got ${String(annealEpochs)}`);
    }
    super(optimizer, lastEpoch);
    this.annealFunc = annealStrategy === 'cos' ? cosineAnneal : linearAnneal;
    this.annealEpochs = annealEpochs;
    this.start();
  }

  getLr(): number[] {
    let step = this._stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const span = Math.max(1, this.annealEpochs);
    const prevAlpha = this.annealFunc(clamp01((step - 1) / span));
    const alpha = this.annealFunc(clamp01(step / span));
    return this.optimizer.paramGroups.map((g) => g.swaLr * alpha + initialLr(g.lr, g.swaLr, prevAlpha) * (1 - alpha));
  }
}
