// MultiplicativeLR: lr *= lrLambda(epoch) every epoch after the first, one function per group or one for all.
import { LRScheduler } from './lr-scheduler';
import { LAMBDA_LR, LrLambda, lrLambdasOf, withoutLambdas } from './lambda-lr';
import { ArgsOf } from '../../keywords';

export class MultiplicativeLR extends LRScheduler {
  #lrLambdas: LrLambda[];

  /** MultiplicativeLR(optimizer, lrLambda, lastEpoch = -1, verbose = false), any of them by name. */
  constructor(...args: ArgsOf<typeof LAMBDA_LR>) {
    const { optimizer, lrLambda, lastEpoch, verbose } = LAMBDA_LR.bind('MultiplicativeLR', args);
    super(optimizer, lastEpoch, verbose);
    this.#lrLambdas = lrLambdasOf(optimizer, lrLambda);
    this.start();
  }

  getLr(): number[] {
    if (this.lastEpoch <= 0) return this.groupLrs();
    return this.groupLrs().map((lr, i) => lr * this.#lrLambdas[i](this.lastEpoch));
  }

  stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), lr_lambdas: this.#lrLambdas.map(() => null) };
  }

  loadStateDict(stateDict: Record<string, unknown>): void {
    super.loadStateDict(withoutLambdas(stateDict));
  }
}
