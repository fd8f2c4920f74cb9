// torch.distributed.algorithms.Join (torch/distributed/algorithms/join.py, PyTorch 1.13): training
// with uneven inputs. A rank whose loop ends early keeps answering the collectives of the ranks
// still training (each Joinable's JoinHook.mainHook shadows one iteration of them), until an
// all-reduce counting the ranks still inside the loop reads zero; then the post-hooks run.
// Python's `with Join(...):` block is join.run(fn) here: the shadowing starts once fn has finished
// (an async fn: once its promise has fulfilled); a block that throws leaves at once, as in Python.
import { AssertionError, PyTypeError, TorchError, ValueError, warn } from '../../errors';
import { isOptions } from '../../keywords';
import { isThenable } from '../../settle';
import { ones, zeros } from '../../tensor/create';
import type { Device } from '../../tensor/device';
import { allReduce } from '../collectives';
import { getRank } from '../groups';
import type { ProcessGroup } from '../process-group';
import type { Work } from '../work';

/** A main hook run per iteration still going on elsewhere, and a post-hook once every rank has joined. */
export class JoinHook {
  /** Shadows the collectives of one training iteration (forward, backward, optimizer step). */
  mainHook(): void {}
  /** Runs once every rank has joined; isLastJoiner: this rank was among the last to run out of inputs. */
  postHook(_isLastJoiner: boolean): void {}
}

/** Python's _JoinConfig: what a Join told one of its joinables. */
export interface JoinConfig {
  readonly enable: boolean;
  readonly throwOnEarlyTermination: boolean;
  readonly isFirstJoinable: boolean;
}

/** _JoinConfig.construct_disabled_join_config(): a joinable outside any Join. */
export function disabledJoinConfig(): JoinConfig {
  return { enable: false, throwOnEarlyTermination: false, isFirstJoinable: false };
}

/** The options a joinable's joinHook gets: every keyword a Join was given besides its own (camelCase). */
export type JoinHookKwargs = Record<string, unknown>;

/**
 * A class that can take part in a Join: it gives a JoinHook, the device and group of the Join's own
 * all-reduces, and calls Join.notifyJoinContext(this) before its per-iteration collectives.
 * Subclass it, or (for a class with another base) `implements Joinable` with _joinConfig set to
 * disabledJoinConfig().
 */
export abstract class Joinable {
  _joinConfig: JoinConfig = disabledJoinConfig();
  abstract joinHook(kwargs?: JoinHookKwargs): JoinHook;
  abstract readonly joinDevice: Device;
  abstract readonly joinProcessGroup: ProcessGroup;
}

/** Python's warning threshold: this many shadowed iterations mean badly skewed inputs. */
const WARN_THRESHOLD = 1000;

/** Join's own keywords; any other key of the options object goes to every joinable's joinHook. */
export interface JoinOptions {
  enable?: boolean;
  throwOnEarlyTermination?: boolean;
}

export class Join {
  private readonly joinables: Joinable[];
  private readonly joinHooks: JoinHook[];
  private readonly enable: boolean;
  private readonly throwOnEarlyTermination: boolean;
  private processGroup!: ProcessGroup;
  private device!: Device;
  private rank!: number;

  /**
   * Join(joinables, enable = true, throwOnEarlyTermination = false, ...hook keywords): the hook
   * keywords (divideByInitialWorldSize for DDP) in the trailing options object beside Join's own.
   */
  constructor(
    joinables: Joinable[],
    ...rest: [options?: JoinOptions & JoinHookKwargs] | [enable: boolean, options?: JoinHookKwargs] | [enable: boolean, throwOnEarlyTermination: boolean, options?: JoinHookKwargs]
  ) {
    const last = rest.length > 0 ? rest[rest.length - 1] : undefined;
    const options: JoinHookKwargs = isOptions(last) ? { ...last } : {};
    const positional = (isOptions(last) ? rest.slice(0, -1) : rest) as (boolean | undefined)[];
    for (const [i, name] of (['enable', 'throwOnEarlyTermination'] as const).entries()) {
      if (positional[i] === undefined) continue;
      if (name in options) throw new PyTypeError(`Join() got multiple values for argument '${name}'`);
      options[name] = positional[i];
    }
    const { enable, throwOnEarlyTermination, ...kwargs } = options as JoinOptions & JoinHookKwargs;
    if (joinables.length === 0) throw new ValueError('The join context manager requires at least one joinable');
    this.joinables = joinables;
    this.joinHooks = joinables.map((j) => j.joinHook(kwargs));
    this.enable = enable ?? true;
    this.throwOnEarlyTermination = throwOnEarlyTermination ?? false;
    this.setJoinableConfigs();
    this.extractDistInfo();
  }

  /** Every joinable learns the Join's switches; only the first does the Join's collectives. */
  private setJoinableConfigs(): void {
    this.joinables.forEach((joinable, i) => {
      joinable._joinConfig = { enable: this.enable, throwOnEarlyTermination: this.throwOnEarlyTermination, isFirstJoinable: i === 0 };
    });
  }

  /** The one process group of all joinables, and the first joinable's device. */
  private extractDistInfo(): void {
    let group: ProcessGroup | undefined;
    for (const joinable of this.joinables) {
      if (group === undefined) group = joinable.joinProcessGroup;
      else if (group !== joinable.joinProcessGroup) throw new ValueError('Using join context manager with multiple process groups');
    }
    this.processGroup = group!;
    this.rank = getRank(this.processGroup);
    this.device = this.joinables[0].joinDevice;
  }

  /**
   * Python's `with join:` block: runs fn (sync or async), then shadows the other ranks' iterations
   * until all have joined. Gives fn's result (a promise for an async fn).
   */
  run<T>(fn: () => T): T {
    const result = fn();
    if (!isThenable(result)) {
      this.exit();
      return result;
    }
    return Promise.resolve(result).then((value) => {
      this.exit();
      return value;
    }) as T;
  }

  /** Python's __exit__ after a block that did not raise. */
  private exit(): void {
    if (!this.enable) return;
    let allJoined = false;
    let isLastJoiner = true;
    for (let i = 0; !allJoined; ) {
      if (i > WARN_THRESHOLD) {
        warn(
          `Detected uneven input skew of greater than ${WARN_THRESHOLD}. This means that rank ${this.rank} has at least ${WARN_THRESHOLD} ` +
            'fewer inputs than other currently-active ranks. This level of skew could lead to performance degradation during training.',
        );
      }
      if (this.numNonjoinedProcs() === 0) {
        allJoined = true;
      } else {
        if (this.throwOnEarlyTermination) this.notifyProcsToTerminate();
        for (const hook of this.joinHooks) hook.mainHook();
        isLastJoiner = false;
        i++;
      }
    }
    for (const hook of this.joinHooks) hook.postHook(isLastJoiner);
  }

  /** The ranks still training: they add one each (notifyJoinContext), joined ranks zero. */
  private numNonjoinedProcs(): number {
    const count = zeros(1, { device: this.device });
    allReduce(count, { group: this.processGroup });
    return count.item();
  }

  /** Tells the ranks still training to stop (their throwOnEarlyTermination all-reduce reads non-zero), and stops. */
  private notifyProcsToTerminate(): never {
    allReduce(ones(1, { device: this.device }), { group: this.processGroup });
    throw new TorchError(`Rank ${this.rank} exhausted all inputs.`);
  }

  /**
   * Called by a joinable before its per-iteration collectives: for the first joinable of an enabled
   * Join, starts the all-reduce that tells joined ranks this one still trains (its Work is
   * returned), and with throwOnEarlyTermination raises once any rank has run out. Otherwise null.
   */
  static notifyJoinContext(joinable: Joinable): Work | null {
    const config = (joinable as Partial<Joinable>)._joinConfig;
    if (config === undefined) throw new AssertionError(`Check that the ${joinable.constructor.name} constructor calls the \`\`Joinable\`\` constructor`);
    if (!config.isFirstJoinable || !config.enable) return null;
    const device = joinable.joinDevice;
    const group = joinable.joinProcessGroup;
    const work = allReduce(ones(1, { device }), { group, asyncOp: true })!;
    if (config.throwOnEarlyTermination) {
      const shouldThrow = zeros(1, { device });
      allReduce(shouldThrow, { group });
      if (shouldThrow.item() !== 0) throw new TorchError('Detected at least one rank that exhausted inputs. Throwing across all ranks.');
    }
    return work;
  }
}
