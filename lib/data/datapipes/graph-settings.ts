// torch.utils.data.graph_settings: settings applied to every pipe of a graph (sharding, shuffling,
// seeds), as DataLoader applies them.
import { Generator } from '../../tensor/random';
import { TorchError, warn } from '../../errors';
import { randomSeed } from '../rng';
import { traverseDps, pipeId, type DataPipe, type DataPipeGraph } from './graph';

/** Every pipe of the graph once, the end pipe first, then depth-first. */
export function getAllGraphPipes(graph: DataPipeGraph): DataPipe[] {
  const seen = new Set<number>();
  const out: DataPipe[] = [];
  const walk = (g: DataPipeGraph): void => {
    for (const [id, [dp, sub]] of g) {
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(dp);
      walk(sub);
    }
  };
  walk(graph);
  return out;
}

type Shardable = { isShardable(): boolean; applySharding(n: number, id: number): void };

/** Gives the one shardable pipe of the graph its share: instanceId of numOfInstances. */
export function applySharding<D extends DataPipe>(datapipe: D, numOfInstances: number, instanceId: number): D {
  let appliedTo: DataPipe | null = null;
  for (const pipe of getAllGraphPipes(traverseDps(datapipe))) {
    const p = pipe as unknown as Partial<Shardable>;
    if (typeof p.isShardable !== 'function' || !p.isShardable()) continue;
    if (typeof p.applySharding !== 'function') continue;
    if (appliedTo !== null) {
      throw new TorchError(
        `('This implementation of sharding can be only applied once per instance of DataPipeline.', 'Already applied to', ${appliedTo}, 'while trying to apply to', ${pipe})`,
      );
    }
    p.applySharding(numOfInstances, instanceId);
    appliedTo = pipe;
  }
  return datapipe;
}

type Shuffle = { setShuffle(s: boolean): unknown; setSeed(seed: number | bigint): unknown };
const isShufflePipe = (p: unknown): p is Shuffle =>
  typeof (p as Shuffle).setShuffle === 'function' && typeof (p as Shuffle).setSeed === 'function';

/** Turns every shuffling pipe on or off (null: leaves them); with none and shuffle, adds one at the end. */
export function applyShuffleSettings<D extends DataPipe>(datapipe: D, shuffle: boolean | null = null): D | DataPipe {
  if (shuffle === null || shuffle === undefined) return datapipe;
  let result: DataPipe = datapipe;
  let shufflers = getAllGraphPipes(traverseDps(datapipe)).filter(isShufflePipe) as unknown as Shuffle[];
  if (shufflers.length === 0 && shuffle) {
    warn(
      '`shuffle=True` was set, but the datapipe does not contain a `Shuffler`. Adding one at the end. Be aware that the default buffer size might not be sufficient for your task.',
    );
    result = (datapipe as unknown as { shuffle(): DataPipe }).shuffle();
    shufflers = [result as unknown as Shuffle];
  }
  for (const s of shufflers) s.setShuffle(shuffle);
  return result;
}

/** Seeds every random pipe (one with setSeed), each with a 64-bit draw from `rng`, in graph order. */
export function applyRandomSeed<D extends DataPipe>(datapipe: D, rng: Generator): D {
  const seen = new Set<number>();
  const random: Shuffle[] = [];
  for (const pipe of getAllGraphPipes(traverseDps(datapipe))) {
    if (seen.has(pipeId(pipe))) continue;
    if (typeof (pipe as unknown as Partial<Shuffle>).setSeed === 'function') {
      random.push(pipe as unknown as Shuffle);
      seen.add(pipeId(pipe));
    }
  }
  for (const pipe of random) pipe.setSeed(randomSeed(rng));
  return datapipe;
}

/** Deprecated since 1.12: applyRandomSeed. */
export function applyShuffleSeed<D extends DataPipe>(datapipe: D, rng: Generator): D {
  warn('`apply_shuffle_seed` is deprecated since 1.12 and will be removed in the future releases.\nPlease use `apply_random_seed` instead.');
  return applyRandomSeed(datapipe, rng);
}
