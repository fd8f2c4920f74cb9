// torch.distributed.monitored_barrier: gloo's barrier in which rank 0 waits for every other rank
// within the timeout and names the ones that did not come (all of them with waitAllRanks).
import { TorchError } from '../errors';
import { keysOf, parse, given, Rest } from '../keywords';
import { c10d } from './native-c10d';
import { Backend } from './backend';
import { getBackend, Group, rankNotInGroup, resolveGroup, warnNotInGroup } from './groups';
import { DEFAULT_PG_TIMEOUT, Timedelta, toMillis } from './timeout';

export interface MonitoredBarrierOptions {
  group?: Group;
  timeout?: Timedelta | null;
  waitAllRanks?: boolean;
}
const MONITORED_BARRIER = ['group', 'timeout', 'waitAllRanks'] as const;
keysOf<MonitoredBarrierOptions>()(...MONITORED_BARRIER);

/** monitored_barrier(group=WORLD, timeout=None (30 minutes), wait_all_ranks=False). */
export function monitoredBarrier(...rest: Rest<MonitoredBarrierOptions, typeof MONITORED_BARRIER>): void {
  const o = parse<MonitoredBarrierOptions>('monitored_barrier', given(rest), MONITORED_BARRIER);
  if (rankNotInGroup(o.group)) return warnNotInGroup('monitored_barrier');
  if (getBackend(o.group) !== Backend.GLOO) throw new TorchError('monitored_barrier is only implemented for GLOO backend.');
  // Python's default is default_pg_timeout, not the group's own timeout
  c10d().monitoredBarrier(resolveGroup(o.group)._h, toMillis(o.timeout ?? DEFAULT_PG_TIMEOUT), o.waitAllRanks ?? false);
}
