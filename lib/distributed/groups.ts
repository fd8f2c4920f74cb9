// torch.distributed's process groups: the default (WORLD) group from initProcessGroup, the groups
// newGroup makes, and each group's map from global ranks to its own. The state is this process's,
// as Python's module globals are, and the steps (group names, store prefixes, the store-based
// barrier and its keys) are Python's, so Node and Python processes can form one group.
import { AssertionError, TorchError, warn } from '../errors';
import { keysOf, parse, given, Rest } from '../keywords';
import { Backend } from './backend';
import { c10d } from './native-c10d';
import { ProcessGroup } from './process-group';
import { rendezvous } from './rendezvous';
import { PrefixStore, Store } from './store';
import { DEFAULT_PG_TIMEOUT, Timedelta, toMillis } from './timeout';

/** Python's GroupMember.NON_GROUP_MEMBER: what newGroup gives a rank outside the group. */
class NonGroupMember {
  toString(): string {
    return '<NON_GROUP_MEMBER>';
  }
}
// A class instance, not a plain object: a plain object in an argument list reads as keyword options.
const NON_GROUP_MEMBER = Object.freeze(new NonGroupMember());
/** A group argument: a group, the non-member marker, or null/undefined for the default group. */
export type Group = ProcessGroup | typeof NON_GROUP_MEMBER | null | undefined;

interface GroupEntry {
  backend: string;
  store: Store;
  name: string;
  /** global rank -> rank in this group */
  ranks: Map<number, number>;
}
const groups = new Map<ProcessGroup, GroupEntry>();
let world: ProcessGroup | null = null;
let groupCount = 0;

/** torch.distributed.GroupMember / group: WORLD is the default group once initialized. */
export const GroupMember = {
  get WORLD(): ProcessGroup | null {
    return world;
  },
  NON_GROUP_MEMBER,
};
export const group = GroupMember;

export function isInitialized(): boolean {
  return world !== null;
}

/** The default group; a RuntimeError before initProcessGroup. */
export function defaultGroup(): ProcessGroup {
  if (world === null) throw new TorchError('Default process group has not been initialized, please make sure to call init_process_group.');
  return world;
}

/** The group a collective runs on (null/undefined: the default one). */
export function resolveGroup(g: Group): ProcessGroup {
  return g === null || g === undefined ? defaultGroup() : (g as ProcessGroup);
}

export function rankNotInGroup(g: Group): boolean {
  return g === NON_GROUP_MEMBER;
}

/** Python's _warn_not_in_group: a collective called on a rank outside the group does nothing. */
export function warnNotInGroup(opName: string): void {
  warn(`Running ${opName} on global rank ${world === null ? -1 : world.rank()} which does not belong to the given group.`);
}

export function getBackend(g?: Group): string {
  const pg = resolveGroup(g);
  if (rankNotInGroup(pg)) throw new TorchError('Invalid process group specified');
  return groups.get(pg)!.backend;
}

/** The rank in `g` of global rank `globalRank`. */
export function getGroupRank(g: ProcessGroup, globalRank: number): number {
  if (g === world) return globalRank;
  const entry = groups.get(g);
  if (entry === undefined) throw new TorchError(`Group ${String(g)} is not registered, please create group with torch.distributed.new_group API`);
  const rank = entry.ranks.get(globalRank);
  if (rank === undefined) throw new TorchError(`Global rank ${globalRank} is not part of group ${String(g)}`);
  return rank;
}

/** The global rank of rank `groupRank` of `g`. */
export function getGlobalRank(g: ProcessGroup, groupRank: number): number {
  if (g === world) return groupRank;
  const entry = groups.get(g);
  if (entry === undefined) throw new TorchError(`Group ${String(g)} is not registered, please create group with torch.distributed.new_group API`);
  for (const [global, local] of entry.ranks) if (local === groupRank) return global;
  throw new TorchError(`Group rank ${groupRank} is not part of group ${String(g)}`);
}

export function getProcessGroupRanks(g: ProcessGroup): number[] {
  return [...groups.get(g)!.ranks.keys()];
}

/** This process's rank in `g` (the default group when not given); -1 outside it. */
export function getRank(g?: Group): number {
  if (rankNotInGroup(g)) return -1;
  const pg = defaultGroup();
  return g === null || g === undefined || g === world ? pg.rank() : getGroupRank(g as ProcessGroup, pg.rank());
}

export function getWorldSize(g?: Group): number {
  if (rankNotInGroup(g)) return -1;
  return resolveGroup(g).size();
}

/** Python's _store_based_barrier: every rank adds 1 to one key, then waits for worldSize. */
function storeBasedBarrier(rank: number, store: Store, timeout: Timedelta): void {
  const key = `store_based_barrier_key:${groupCount}`;
  const worldSize = getWorldSize();
  const start = Date.now();
  const limit = toMillis(timeout);
  store.add(key, 1);
  let workers = store.add(key, 0);
  while (workers !== worldSize) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    workers = store.add(key, 0);
    if (Date.now() - start > limit) {
      throw new TorchError(
        `Timed out initializing process group in store based barrier on rank: ${rank}, for key: ${key} (world_size=${worldSize}, worker_count=${workers}, timeout=${limit / 1000} s)`,
      );
    }
  }
}

/** Python's _new_process_group_helper for gloo: a group named by the group count, its keys under that name. */
function newProcessGroup(size: number, rank: number | null, globalRanks: number[], backend: string, store: Store, timeout: Timedelta): ProcessGroup | typeof NON_GROUP_MEMBER {
  const name = String(groupCount++);
  if (globalRanks.length > 0 && !globalRanks.includes(defaultGroup().rank())) return NON_GROUP_MEMBER;
  if (backend === Backend.MPI || backend === Backend.NCCL || backend === Backend.UCC) {
    const what = { mpi: 'MPI', nccl: 'NCCL', ucc: 'UCC' }[backend];
    throw new TorchError(`Distributed package doesn't have ${what} built in${what === 'MPI' ? '. MPI is only included if you build PyTorch from source on a host that has MPI installed.' : ''}`);
  }
  if (backend !== Backend.GLOO) throw new TorchError(`Unsupported backend: ${backend}`);
  const pg = new ProcessGroup(c10d().processGroupGloo(new PrefixStore(name, store)._h, rank!, size, toMillis(timeout)));
  groups.set(pg, { backend, store, name, ranks: new Map() });
  return pg;
}

/** init_process_group's keyword arguments. */
export interface InitProcessGroupOptions {
  initMethod?: string | null;
  timeout?: Timedelta;
  worldSize?: number;
  rank?: number;
  store?: Store | null;
  groupName?: string;
  pgOptions?: null;
}
const INIT_ARGS = ['initMethod', 'timeout', 'worldSize', 'rank', 'store', 'groupName', 'pgOptions'] as const;
keysOf<InitProcessGroupOptions>()(...INIT_ARGS);

/**
 * torch.distributed.init_process_group(backend, init_method=None, timeout=30 min, world_size=-1,
 * rank=-1, store=None): joins this process to the default group. Blocks until every rank has.
 */
export function initProcessGroup(backend: string, ...rest: Rest<InitProcessGroupOptions, typeof INIT_ARGS>): void {
  const o = parse<InitProcessGroupOptions>('init_process_group', given(rest), INIT_ARGS);
  const timeout = o.timeout ?? DEFAULT_PG_TIMEOUT;
  toMillis(timeout);
  if (world !== null) throw new TorchError('trying to initialize the default process group twice!');
  let store = o.store ?? null;
  let rank = o.rank ?? -1;
  let worldSize = o.worldSize ?? -1;
  let initMethod = o.initMethod ?? null;
  if (store !== null && initMethod !== null) throw new AssertionError('Cannot specify both init_method and store.');
  if (store !== null) {
    if (!(worldSize > 0)) throw new AssertionError('world_size must be positive if using store');
    if (!(rank >= 0)) throw new AssertionError('rank must be non-negative if using store');
  } else {
    initMethod ??= 'env://';
  }
  const name = Backend(backend);
  if (store === null) {
    const r = rendezvous(initMethod!, rank, worldSize, timeout);
    ({ rank, worldSize } = r);
    r.store.setTimeout(timeout);
    // Python's prefix: the store may be shared with other systems (RPC).
    store = new PrefixStore('default_pg', r.store);
  }
  const pg = newProcessGroup(worldSize, rank, [], name, store, timeout) as ProcessGroup;
  world = pg;
  groups.get(pg)!.ranks = new Map(Array.from({ length: pg.size() }, (_, i) => [i, i]));
  storeBasedBarrier(rank, store, timeout);
  c10d().processGroupSetSequenceNumber(pg._h);
}

/** new_group's keyword arguments. */
export interface NewGroupOptions {
  ranks?: number[] | null;
  timeout?: Timedelta;
  backend?: string | null;
  pgOptions?: null;
}
const NEW_GROUP_ARGS = ['ranks', 'timeout', 'backend', 'pgOptions'] as const;
keysOf<NewGroupOptions>()(...NEW_GROUP_ARGS);

/** torch.distributed.new_group(ranks=None, ...): every rank of the default group must call it, members or not. */
export function newGroup(...rest: Rest<NewGroupOptions, typeof NEW_GROUP_ARGS>): ProcessGroup | typeof NON_GROUP_MEMBER {
  const o = parse<NewGroupOptions>('new_group', given(rest), NEW_GROUP_ARGS);
  const timeout = o.timeout ?? DEFAULT_PG_TIMEOUT;
  const pg0 = defaultGroup();
  const { backend: defaultBackend, store } = groups.get(pg0)!;
  const globalRank = pg0.rank();
  const globalSize = pg0.size();
  let ranks: number[];
  let groupRank: number | null;
  if (o.ranks !== null && o.ranks !== undefined) {
    ranks = [...o.ranks].sort((a, b) => a - b);
    if (ranks.length > globalSize) throw new TorchError("the new group's world size should be less or equal to the world size set by init_process_group");
    if (ranks.some((r) => r < 0 || r >= globalSize)) throw new TorchError("The new group's rank should be within the the world_size set by init_process_group");
    groupRank = ranks.includes(globalRank) ? ranks.indexOf(globalRank) : null;
  } else {
    ranks = Array.from({ length: globalSize }, (_, i) => i);
    groupRank = globalRank;
  }
  const pg = newProcessGroup(ranks.length, groupRank, ranks, Backend(o.backend || defaultBackend), store, timeout);
  const rankMap = new Map(ranks.map((global, local) => [global, local]));
  if (pg instanceof ProcessGroup) groups.get(pg)!.ranks = rankMap;
  storeBasedBarrier(globalRank, store, timeout);
  if (pg instanceof ProcessGroup) c10d().processGroupSetSequenceNumber(pg._h);
  return pg;
}

/** torch.distributed.destroy_process_group(group=None): forgets the group (all of them, for the default one). */
export function destroyProcessGroup(g?: Group): void {
  if (g === NON_GROUP_MEMBER) return;
  const pg = g ?? world;
  if (pg === null) throw new AssertionError(''); // Python's `assert pg is not None`
  if (!groups.has(pg as ProcessGroup)) throw new TorchError('Invalid process group specified');
  if (g === null || g === undefined || g === world) {
    world = null;
    groups.clear();
    groupCount = 0;
  } else {
    groups.delete(pg as ProcessGroup);
  }
}
