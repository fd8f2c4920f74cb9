// torch.distributed: process groups over c10d's gloo backend, their collectives and stores, in the
// same wire protocol as PyTorch's (Node and Python processes can share a group). DDP itself is
// nn.parallel.DistributedDataParallel; DistributedSampler is in data.
export { isAvailable } from './native-c10d';
export { Backend } from './backend';
export { ReduceOp, reduceOp, supportsComplex } from './reduce-op';
export { Store, TCPStore, FileStore, HashStore, PrefixStore } from './store';
export type { TCPStoreArgs } from './store';
export { ProcessGroup } from './process-group';
export { Work } from './work';
export type { Timedelta } from './timeout';
export { rendezvous, registerRendezvousHandler } from './rendezvous';
export type { Rendezvous, RendezvousHandler } from './rendezvous';
export {
  initProcessGroup, destroyProcessGroup, isInitialized, newGroup, getRank, getWorldSize, getBackend,
  getGroupRank, getGlobalRank, getProcessGroupRanks, GroupMember, group,
} from './groups';
export type { Group, InitProcessGroupOptions, NewGroupOptions } from './groups';
export {
  allReduce, allReduceCoalesced, broadcast, reduce, allGather, allGatherIntoTensor, gather, scatter, reduceScatter,
  allToAllSingle, allToAll, barrier, isend, irecv, send, recv, reduceScatterTensor, allGatherCoalesced,
} from './collectives';
export type { AllReduceOptions, GatherOptions, ScatterOptions, AllToAllSingleOptions } from './collectives';
export { allGatherObject, gatherObject, broadcastObjectList, scatterObjectList } from './object-collectives';
export type { GatherObjectOptions, BroadcastObjectListOptions } from './object-collectives';
export { P2POp, batchIsendIrecv } from './p2p-op';
export type { P2POpArgs } from './p2p-op';
export { allReduceMultigpu, broadcastMultigpu, reduceMultigpu, allGatherMultigpu, reduceScatterMultigpu } from './multigpu';
export type { BroadcastMultigpuOptions, ReduceMultigpuOptions } from './multigpu';
export { newSubgroups, newSubgroupsByEnumeration } from './subgroups';
export type { NewSubgroupsOptions, NewSubgroupsByEnumerationOptions } from './subgroups';
export { DebugLevel, getDebugLevel, setDebugLevel, setDebugLevelFromEnv } from './debug-level';
export { monitoredBarrier } from './monitored-barrier';
export type { MonitoredBarrierOptions } from './monitored-barrier';
export { isGlooAvailable, isNcclAvailable, isMpiAvailable, isUccAvailable, isTorchelasticLaunched } from './availability';
export * as algorithms from './algorithms';
export { BuiltinCommHookType } from './algorithms';
export * as run from './run';
export * as optim from './optim';
