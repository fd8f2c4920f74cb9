// OneCycleLR (1cycle policy): lr rises from maxLr/divFactor to maxLr, then anneals to
// initial_lr/finalDivFactor; momentum (or Adam's beta1) cycles the opposite way.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL, perGroup } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';
import { toCamel } from '../keys';

export interface OneCycleLROptions extends LRSchedulerOptions {
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}

/**
 * OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3,
 * anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25.0,
 * final_div_factor=1e4, three_phase=False, last_epoch=-1, verbose=False), any of them by name.
 */
export interface OneCycleLRArgs extends OneCycleLROptions {
  optimizer: Optimizer;
  maxLr: number | number[];
}
const ONE_CYCLE_LR = signature<OneCycleLRArgs>()(
  ['optimizer', 'maxLr'],
  ['totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum',
    'divFactor', 'finalDivFactor', 'threePhase', ...SCHEDULER_TAIL],
);

/** One phase, as Python stores it: group option names in snake_case. */
interface Phase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

const annealCos = (start: number, end: number, pct: number) => end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);
const annealLinear = (start: number, end: number, pct: number) => (end - start) * pct + start;

export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  _schedulePhases: Phase[];
  cycleMomentum: boolean;
  useBeta1?: boolean;
  #anneal: (start: number, end: number, pct: number) => number;

  constructor(...args: ArgsOf<typeof ONE_CYCLE_LR>) {
    const { optimizer, maxLr, ...options } = ONE_CYCLE_LR.bind('OneCycleLR', args);
    const { totalSteps, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true } = options;
    const { baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false } = options;
    const lastEpoch = options.lastEpoch ?? -1;
    let total: number;
    if (totalSteps == null && epochs == null && stepsPerEpoch == null) {
      throw new TorchError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    } else if (totalSteps != null) {
      if (totalSteps <= 0 || !Number.isInteger(totalSteps)) throw new TorchError(`Expected positive integer total_steps, but got ${totalSteps}`);
      total = totalSteps;
    } else {
      if (epochs == null || epochs <= 0 || !Number.isInteger(epochs)) throw new TorchError(`Expected positive integer epochs, but got ${epochs ?? 'None'}`);
      if (stepsPerEpoch == null || stepsPerEpoch <= 0 || !Number.isInteger(stepsPerEpoch)) {
        throw new TorchError(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch ?? 'None'}`);
      }
      total = epochs * stepsPerEpoch;
    }
    const phases: Phase[] = threePhase
      ? [
          { end_step: pctStart * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: 2 * pctStart * total - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
          { end_step: total - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' },
        ]
      : [
          { end_step: pctStart * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
          { end_step: total - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
        ];
    if (pctStart < 0 || pctStart > 1) throw new TorchError(`Expected float between 0 and 1 pct_start, but got ${pctStart}`);
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new TorchError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${annealStrategy}`);
    }
    const maxLrs = perGroup('max_lr', optimizer, maxLr);
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDivFactor;
      });
    }
    let useBeta1: boolean | undefined;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new TorchError('optimizer must support momentum with `cycle_momentum` option enabled');
      }
      useBeta1 = 'betas' in optimizer.defaults;
      const maxMs = perGroup('max_momentum', optimizer, maxMomentum);
      const baseMs = perGroup('base_momentum', optimizer, baseMomentum);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxMs[i], ...g.betas.slice(1)];
          else g.momentum = maxMs[i];
          g.maxMomentum = maxMs[i];
          g.baseMomentum = baseMs[i];
        });
      }
    }
    super(optimizer, lastEpoch, options.verbose);
    this.totalSteps = total;
    this._schedulePhases = phases;
    this.#anneal = annealStrategy === 'cos' ? annealCos : annealLinear;
    this.cycleMomentum = cycleMomentum;
    if (useBeta1 !== undefined) this.useBeta1 = useBeta1;
    this.start();
  }

  getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new TorchError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((group) => {
      const opt = (name: string) => group[toCamel(name)] as number;
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this._schedulePhases.length; i++) {
        const phase = this._schedulePhases[i];
        const endStep = phase.end_step;
        if (stepNum <= endStep || i === this._schedulePhases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.#anneal(opt(phase.start_lr), opt(phase.end_lr), pct);
          if (this.cycleMomentum) momentum = this.#anneal(opt(phase.start_momentum), opt(phase.end_momentum), pct);
          break;
        }
        startStep = phase.end_step;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) group.betas = [momentum, ...group.betas.slice(1)];
        else group.momentum = momentum;
      }
      return lr;
    });
  }
}
