// LambdaLR: lr = base_lr * lrLambda(epoch), one function per group or one for all.
// Functions are not state: the state dict has null for each, as Python's has None for plain functions.
import { TorchError } from '../../errors';
import { Optimizer } from '../optimizer';
import { LRScheduler, LRSchedulerOptions, SCHEDULER_TAIL } from './lr-scheduler';
import { ArgsOf, signature } from '../../keywords';

export type LrLambda = (epoch: number) => number;

/** LambdaLR(optimizer, lr_lambda, last_epoch=-1, verbose=False), any of them by name. */
export interface LambdaLRArgs extends LRSchedulerOptions {
  optimizer: Optimizer;
  lrLambda: LrLambda | LrLambda[];
}
/** MultiplicativeLR takes the same parameters. */
export const LAMBDA_LR = signature<LambdaLRArgs>()(['optimizer', 'lrLambda'], SCHEDULER_TAIL);

/** One function per param group: the list given (of the right length) or the one function repeated. */
export function lrLambdasOf(optimizer: Optimizer, lrLambda: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (!Array.isArray(lrLambda)) return new Array(n).fill(lrLambda);
  if (lrLambda.length !== n) throw new TorchError(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
  return [...lrLambda];
}

/** Drops Python's lr_lambdas entry: functions are not state. */
export function withoutLambdas(stateDict: Record<string, unknown>): Record<string, unknown> {
  const { lr_lambdas: _ignored, ...rest } = stateDict;
  return rest;
}

export class LambdaLR extends LRScheduler {
  #lrLambdas: LrLambda[];

  constructor(...args: ArgsOf<typeof LAMBDA_LR>) {
    const { optimizer, lrLambda, lastEpoch, verbose } = LAMBDA_LR.bind('LambdaLR', args);
    super(optimizer, lastEpoch, verbose);
    this.#lrLambdas = lrLambdasOf(optimizer, lrLambda);
    this.start();
  }

  getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.#lrLambdas[i](this.lastEpoch));
  }

  stateDict(): Record<string, unknown> {
    return { ...super.stateDict(), lr_lambdas: this.#lrLambdas.map(() => null) };
  }

  loadStateDict(stateDict: Record<string, unknown>): void {
    super.loadStateDict(withoutLambdas(stateDict));
  }
}
