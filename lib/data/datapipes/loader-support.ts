// What DataLoader does with a DataPipe dataset (PyTorch 1.13's forward compatibility): its shuffle
// option switches the graph's shufflers, each epoch seeds the graph's random pipes from one shared
// seed, and each worker (or the single thread) applies its sharding.
import { Generator } from '../../tensor/random';
import { PyTypeError } from '../../errors';
import { isIterDataPipe, isMapDataPipe } from './datapipe';
import { applyRandomSeed, applySharding, applyShuffleSettings } from './graph-settings';

export const isDataPipe = (ds: unknown): boolean => isIterDataPipe(ds) || isMapDataPipe(ds);

/** DataLoader(shuffle=...) over an IterDataPipe. As in PyTorch 1.13, a shuffler added here because
 *  the graph had none is not the pipe the loader iterates: only existing shufflers are switched. */
export function applyLoaderShuffle(dataset: unknown, shuffle: boolean | null | undefined): void {
  if (isIterDataPipe(dataset) && shuffle !== null && shuffle !== undefined) applyShuffleSettings(dataset, shuffle);
}

/** An epoch starts: the random pipes of an IterDataPipe get their seeds from the shared seed. */
export function seedDatapipe(dataset: unknown, sharedSeed: bigint | null): void {
  if (sharedSeed !== null && isIterDataPipe(dataset)) applyRandomSeed(dataset, new Generator().manualSeed(sharedSeed));
}

/** This thread's share of a DataPipe: instance `id` of `total`. */
export function shardDatapipe(dataset: unknown, total: number, id: number): void {
  if (isDataPipe(dataset)) applySharding(dataset as never, total, id);
}

/** len(loader.dataset) of a DataPipe as PyTorch reads it through its serialization wrapper. */
export function datapipeLen(dataset: unknown, len: () => number): number {
  try {
    return len();
  } catch {
    const wrapper = isIterDataPipe(dataset) ? '_IterDataPipeSerializationWrapper' : '_MapDataPipeSerializationWrapper';
    throw new PyTypeError(`${wrapper} instance doesn't have valid length`);
  }
}
