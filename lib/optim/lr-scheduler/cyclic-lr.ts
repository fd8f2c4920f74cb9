// CyclicLR: lr cycles between baseLr and maxLr (triangular, triangular2, exp_range or a custom
// scale function); momentum cycles inversely between baseMomentum and maxMomentum.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL, perGroup } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface CyclicLROptions extends LRSchedulerOptions {
  stepSizeUp?: number;
  stepSizeDown?: number | null;
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  gamma?: number;
  scaleFn?: ((x: number) => number) | null;
  scaleMode?: 'cycle' | 'iterations';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
}

/**
 * CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None, mode='triangular', gamma=1.0,
 * scale_fn=None, scale_mode='cycle', cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1,
 * verbose=False), any of them by name.
 */
export interface CyclicLRArgs extends CyclicLROptions {
  optimizer: Optimizer;
  baseLr: number | number[];
  maxLr: number | number[];
}
const CYCLIC_LR = signature<CyclicLRArgs>()(
  ['optimizer', 'baseLr', 'maxLr'],
  ['stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode', 'cycleMomentum', 'baseMomentum', 'maxMomentum', ...SCHEDULER_TAIL],
);

export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  /** Python's field for a custom scale_fn; always None in a state dict (a function is not state) */
  _scaleFnCustom: null = null;
  scaleMode: string;
  cycleMomentum: boolean;
  baseMomentums?: number[];
  maxMomentums?: number[];
  #scaleFn: (x: number) => number;

  constructor(...args: ArgsOf<typeof CYCLIC_LR>) {
    const { optimizer, baseLr, maxLr, ...options } = CYCLIC_LR.bind('CyclicLR', args);
    const { stepSizeUp = 2000, mode = 'triangular', gamma = 1, scaleFn = null, cycleMomentum = true } = options;
    const { baseMomentum = 0.8, maxMomentum = 0.9 } = options;
    const lastEpoch = options.lastEpoch ?? -1;
    const baseLrs = perGroup('base_lr', optimizer, baseLr);
    if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]));
    const maxLrs = perGroup('max_lr', optimizer, maxLr);
    const up = stepSizeUp;
    const down = options.stepSizeDown ?? up;
    if (!['triangular', 'triangular2', 'exp_range'].includes(mode) && scaleFn === null) {
      throw new TorchError('mode is invalid and scale_fn is None');
    }
    let baseMomentums: number[] | undefined;
    let maxMomentums: number[] | undefined;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults)) throw new TorchError('optimizer must support momentum with `cycle_momentum` option enabled');
      const bases = perGroup('base_momentum', optimizer, baseMomentum);
      if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g.momentum = bases[i]));
      baseMomentums = optimizer.paramGroups.map((g) => g.momentum as number);
      maxMomentums = perGroup('max_momentum', optimizer, maxMomentum);
    }
    super(optimizer, lastEpoch, options.verbose);
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = mode;
    this.gamma = gamma;
    if (scaleFn) {
      this.#scaleFn = scaleFn;
      this.scaleMode = options.scaleMode ?? 'cycle';
    } else if (mode === 'triangular') {
      this.#scaleFn = () => 1;
      this.scaleMode = 'cycle';
    } else if (mode === 'triangular2') {
      this.#scaleFn = (x) => 1 / 2 ** (x - 1);
      this.scaleMode = 'cycle';
    } else {
      this.#scaleFn = (x) => this.gamma ** x;
      this.scaleMode = 'iterations';
    }
    this.cycleMomentum = cycleMomentum;
    if (cycleMomentum) {
      this.baseMomentums = baseMomentums;
      this.maxMomentums = maxMomentums;
    }
    this.start();
    this.baseLrs = baseLrs;
  }

  protected floatKeys(): readonly string[] {
    return ['total_size', 'step_ratio', 'gamma'];
  }

  getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.#scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i] - base) * scaleFactor * scale);
    if (this.cycleMomentum) {
      const momentums = this.baseMomentums!.map((base, i) => this.maxMomentums![i] - (this.maxMomentums![i] - base) * scaleFactor * scale);
      this.optimizer.paramGroups.forEach((g, i) => (g.momentum = momentums[i]));
    }
    return lrs;
  }
}
