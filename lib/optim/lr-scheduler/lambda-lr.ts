// LambdaLR: lr = base_lr * lrLambda(epoch), one function per group or one for all.
// Functions are not state: the state dict has null for each, as Python's has None for plain functions.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, LR_SCHEDULER_KEYS } from './lr-scheduler';
import { checkKeywords } from '../../keywords';

export type LrLambda = (epoch: number) => number;

export class LambdaLR extends LRScheduler {
  #lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer, lrLambda: LrLambda | LrLambda[], options: LRSchedulerOptions = {}) {
    checkKeywords('LambdaLR', options, LR_SCHEDULER_KEYS);
    super(optimizer, options.lastEpoch, options.verbose);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda) && lrLambda.length !== n) throw new TorchError(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
    this.#lrLambdas = Array.isArray(lrLambda) ? [...lrLambda] : new Array(n).fill(lrLambda);
    this.start();
  }

  getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.#lrLambdas[i](this.lastEpoch));
  }

  stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), lr_lambdas: this.#lrLambdas.map(() => null) };
  }

  loadStateDict(stateDict: Record<string, unknown>): void {
    const { lr_lambdas: _ignored, ...rest } = stateDict;
    super.loadStateDict(rest);
  }
}
