// torch.distributed.new_subgroups / new_subgroups_by_enumeration: several new_group calls at once,
// each rank getting the one it belongs to. Python 1.13 makes them for CUDA devices only.
import { ValueError } from '../errors';
import { isAvailable as cudaIsAvailable, deviceCount } from '../cuda/runtime';
import { keysOf, parse, given, Rest } from '../keywords';
import { getRank, getWorldSize, Group, newGroup } from './groups';
import type { ProcessGroup } from './process-group';
import type { Timedelta } from './timeout';

type Subgroup = ReturnType<typeof newGroup>;

export interface NewSubgroupsOptions {
  group?: Group;
  timeout?: Timedelta;
  backend?: string | null;
  pgOptions?: null;
}
const NEW_SUBGROUPS = ['group', 'timeout', 'backend', 'pgOptions'] as const;
keysOf<NewSubgroupsOptions>()(...NEW_SUBGROUPS);

export type NewSubgroupsByEnumerationOptions = Omit<NewSubgroupsOptions, 'group'>;
const BY_ENUMERATION = ['timeout', 'backend', 'pgOptions'] as const;
keysOf<NewSubgroupsByEnumerationOptions>()(...BY_ENUMERATION);

function requireCuda(): void {
  if (!cudaIsAvailable()) throw new ValueError('Subgroups can only be created when CUDA is available');
}

/**
 * torch.distributed.new_subgroups(group_size=None, group=None, timeout=30 min, backend=None,
 * pg_options=None) -> [this rank's subgroup, all subgroups]: consecutive ranks in groups of
 * group_size (default: the CUDA device count). Every rank must call it.
 */
export function newSubgroups(groupSize?: number | null, ...rest: Rest<NewSubgroupsOptions, typeof NEW_SUBGROUPS>): [Subgroup | null, Subgroup[]] {
  const o = parse<NewSubgroupsOptions>('new_subgroups', given(rest), NEW_SUBGROUPS);
  requireCuda();
  return consecutiveSubgroups(groupSize ?? deviceCount(), o);
}

/** new_subgroups past its CUDA check. @internal */
export function consecutiveSubgroups(groupSize: number, o: NewSubgroupsOptions): [Subgroup | null, Subgroup[]] {
  const worldSize = getWorldSize();
  if (worldSize < groupSize) throw new ValueError("The arg 'group_size' must not exceed the world size");
  if (worldSize % groupSize !== 0) throw new ValueError("The world size must be divisible by 'group_size'");
  const lists = Array.from({ length: worldSize / groupSize }, (_, i) => Array.from({ length: groupSize }, (_, j) => i * groupSize + j));
  const subgroups: Subgroup[] = [];
  let mine: Subgroup | null = null;
  for (const ranks of lists) {
    const subgroup = newGroup({ ranks, timeout: o.timeout, backend: o.backend, pgOptions: o.pgOptions });
    subgroups.push(subgroup);
    if (ranks.includes(getRank())) mine = subgroup;
  }
  return [mine, subgroups];
}

/**
 * torch.distributed.new_subgroups_by_enumeration(ranks_per_subgroup_list, timeout=30 min,
 * backend=None, pg_options=None) -> [this rank's subgroup or null, all subgroups]: one group per
 * list of ranks; the lists may not overlap. Every rank must call it.
 */
export function newSubgroupsByEnumeration(
  ranksPerSubgroupList: number[][] | null, ...rest: Rest<NewSubgroupsByEnumerationOptions, typeof BY_ENUMERATION>
): [Subgroup | null, Subgroup[]] {
  const o = parse<NewSubgroupsByEnumerationOptions>('new_subgroups_by_enumeration', given(rest), BY_ENUMERATION);
  requireCuda();
  return enumeratedSubgroups(ranksPerSubgroupList, o);
}

/** new_subgroups_by_enumeration past its CUDA check. @internal */
export function enumeratedSubgroups(ranksPerSubgroupList: number[][] | null, o: NewSubgroupsByEnumerationOptions): [Subgroup | null, Subgroup[]] {
  if (ranksPerSubgroupList === null || ranksPerSubgroupList === undefined || ranksPerSubgroupList.length === 0) {
    throw new ValueError("The arg 'ranks_per_subgroup_list' cannot be empty");
  }
  const subgroups: Subgroup[] = [];
  let mine: Subgroup | null = null;
  const owner = new Map<number, number[]>();
  for (const ranks of ranksPerSubgroupList) {
    const subgroup = newGroup({ ranks, timeout: o.timeout, backend: o.backend, pgOptions: o.pgOptions });
    subgroups.push(subgroup);
    const myRank = getRank();
    for (const rank of ranks) {
      // checked after the group is made, as Python does (the other ranks have made it too)
      if (owner.has(rank)) throw new ValueError(`Rank ${rank} has appeared in both subgroup ${pyList(owner.get(rank)!)} and ${pyList(ranks)}`);
      owner.set(rank, ranks);
      if (myRank === rank) mine = subgroup;
    }
  }
  return [mine, subgroups];
}

const pyList = (xs: number[]): string => `[${xs.join(', ')}]`;
