// PolynomialLR: lr decays as (1 - epoch / totalIters) ** power until totalIters, then stays.
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export interface PolynomialLROptions extends LRSchedulerOptions {
  totalIters?: number;
  power?: number;
}

/** PolynomialLR(optimizer, total_iters=5, power=1.0, last_epoch=-1, verbose=False), any of them by name. */
export interface PolynomialLRArgs extends PolynomialLROptions {
  optimizer: Optimizer;
}
const POLYNOMIAL_LR = signature<PolynomialLRArgs>()(['optimizer'], ['totalIters', 'power', ...SCHEDULER_TAIL]);

export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(...args: ArgsOf<typeof POLYNOMIAL_LR>) {
    const { optimizer, totalIters = 5, power = 1.0, lastEpoch, verbose } = POLYNOMIAL_LR.bind('PolynomialLR', args);
    super(optimizer, lastEpoch, verbose);
    this.totalIters = totalIters;
    this.power = power;
    this.start();
  }

  protected floatKeys(): readonly string[] {
    return ['power'];
  }

  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return this.groupLrs();
    const decay = ((1.0 - this.lastEpoch / this.totalIters) / (1.0 - (this.lastEpoch - 1) / this.totalIters)) ** this.power;
    return this.groupLrs().map((lr) => lr * decay);
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (1.0 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}
