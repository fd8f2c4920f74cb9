// A Dataset of your own and the DataLoader with every option: batching, shuffling with a seeded
// generator, worker threads (with an init function, prefetching, persistent workers, a timeout),
// a custom collate function, pinned memory, dropLast; then a sampler and a batch sampler.
// Run: node dist/examples/custom-dataset.js
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../lib';
import { Tensor } from '../lib';
import {
  Dataset, DataLoader, BatchSampler, SequentialSampler, WeightedRandomSampler, defaultCollate, fromModule, moduleFunction, getWorkerInfo,
} from '../lib/data';

export interface Sample {
  index: number;
  features: Tensor;
  label: number;
}

/** n points: features [i, i^2] / n, label i % 3. The constructor argument is cloneable, for workers. */
export class SquaresDataset extends Dataset<Sample> {
  constructor(readonly n: number) {
    super();
  }
  len(): number {
    return this.n;
  }
  getItem(index: number): Sample {
    return { index, features: torch.tensor([index, index * index]).div(this.n), label: index % 3 };
  }
}

/** Runs first in each worker thread (PyTorch's worker_init_fn). */
export function initWorker(workerId: number): void {
  const info = getWorkerInfo()!;
  process.env.SQUARES_WORKER = `${workerId}/${info.numWorkers}`;
}

/** Worker threads require() JavaScript: this file's compiled form, also when it runs as .ts. */
function compiled(): string {
  const js = __filename.replace(/\.ts$/, '.js');
  return fs.existsSync(js) ? js : path.resolve(__dirname, '../dist/examples/custom-dataset.js');
}

export interface CustomDatasetResult {
  shuffledIndices: number[][];
  weightedIndices: number[];
  batchSamplerIndices: number[][];
}

export async function main(n = 20, log: (line: string) => void = console.log): Promise<CustomDatasetResult> {
  const ds = fromModule<SquaresDataset>(compiled(), 'SquaresDataset', n);
  const loader = new DataLoader(ds, {
    batchSize: 4,
    shuffle: true,
    generator: new torch.Generator().manualSeed(42), // the same order as PyTorch with this seed
    numWorkers: 2,
    workerInitFn: moduleFunction(compiled(), 'initWorker'),
    prefetchFactor: 2,
    persistentWorkers: true,
    timeout: 30, // seconds a batch may take
    dropLast: true,
    pinMemory: torch.cuda.isAvailable(), // page-locked batches for faster copies to the GPU
    // runs on the main thread: the default collation, plus a one-hot label matrix
    collateFn: (samples: Sample[]) => {
      const batch = defaultCollate(samples) as { index: Tensor; features: Tensor; label: Tensor };
      return { ...batch, oneHot: torch.eye(3).indexSelect(0, batch.label) };
    },
  });
  log(`${ds.len()} samples, ${loader.length} batches of 4 (dropLast)`);
  const shuffledIndices: number[][] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    for await (const batch of loader) {
      const b = batch as { index: Tensor; features: Tensor; oneHot: Tensor };
      shuffledIndices.push((b.index.tolist() as number[]).map(Number));
      if (epoch === 0 && shuffledIndices.length === 1) log(`first batch: features ${JSON.stringify(b.features.shape)}, oneHot ${JSON.stringify(b.oneHot.shape)}`);
    }
  }
  log(`epoch 1 order: ${shuffledIndices.slice(0, loader.length).map((b) => b.join(' ')).join(' | ')}`);

  // a sampler instead of shuffle: odd indices 4x as likely
  const local = new SquaresDataset(n);
  const weights = Array.from({ length: n }, (_, i) => (i % 2 ? 4 : 1));
  const weighted = new DataLoader(local, { batchSize: 5, sampler: new WeightedRandomSampler(weights, 10, true, new torch.Generator().manualSeed(1)) });
  const weightedIndices: number[] = [];
  for await (const b of weighted) weightedIndices.push(...((b as { index: Tensor }).index.tolist() as number[]).map(Number));
  log(`weighted sample: ${weightedIndices.join(' ')}`);

  // a batch sampler: the batches themselves come from a sampler
  const batched = new DataLoader(local, { batchSampler: new BatchSampler(new SequentialSampler(local), 6, false) });
  const batchSamplerIndices: number[][] = [];
  for await (const b of batched) batchSamplerIndices.push(((b as { index: Tensor }).index.tolist() as number[]).map(Number));
  log(`batch sampler: ${batchSamplerIndices.map((b) => b.length).join(', ')} samples per batch`);
  return { shuffledIndices, weightedIndices, batchSamplerIndices };
}

if (require.main === module) main().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exitCode = 1;
});
