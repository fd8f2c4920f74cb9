// The main job's CNN trained data-parallel: one process per rank, each on its own shard of
// Fashion-MNIST (DistributedSampler), gradients averaged by DistributedDataParallel as backward
// runs. Start it with the launcher, which sets the env:// variables for every rank:
//   npm run start:ddp -- --epochs 1        (torchrun-node --standalone --nproc-per-node 2 dist/examples/fashion-mnist-ddp.js)
// Each rank takes --batch-size images per step, so a step sees world size x batch size images.
// Rank 0 evaluates after each epoch and saves the state_dict (the plain model's, as PyTorch's DDP
// tutorial saves ddp_model.module's; Python loads it into FashionCNN).
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim, distributed as dist } from '../lib';
import { DataLoader, DistributedSampler } from '../lib/data';
import { FashionCNN } from './fashion-mnist/model';
import { fashionImages } from './fashion-mnist/dataset';
import { trainEpoch, evaluate, EpochResult } from './fashion-mnist/loop';
import { parseOptions, USAGE, UsageError } from './fashion-mnist/options';

export interface DdpRecord {
  epoch: number;
  /** over every rank's images */
  trainLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
  seconds: number;
}

/** One rank's part: returns rank 0's records (the other ranks get []). */
export async function main(argv: string[], log: (line: string) => void = console.log): Promise<DdpRecord[]> {
  const opts = parseOptions(argv);
  if (!opts) {
    log(USAGE);
    return [];
  }
  if (opts.device !== 'cpu') throw new UsageError('--device: DistributedDataParallel runs on CPU (gloo) in torch-node');
  if (opts.threads) torch.setNumThreads(opts.threads);
  dist.initProcessGroup('gloo');
  const rank = dist.getRank();
  const world = dist.getWorldSize();
  const records: DdpRecord[] = [];
  try {
    torch.manualSeed(opts.seed);
    const trainImages = fashionImages({ train: true, limit: opts.limit }, false);
    const sampler = new DistributedSampler(trainImages, { seed: opts.seed });
    const trainLoader = new DataLoader(trainImages, { batchSize: opts.batchSize, sampler });
    const testLoader = new DataLoader(fashionImages({ train: false, limit: opts.testLimit }, false), { batchSize: 1000 });
    if (rank === 0) log(`Fashion-MNIST on ${world} processes: ${sampler.len()} of ${trainImages.len()} training images each, batch ${opts.batchSize} per process`);

    const model = new nn.parallel.DistributedDataParallel(new FashionCNN());
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.Adam(model.parameters(), { lr: opts.lr });
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const t0 = Date.now();
      sampler.setEpoch(epoch); // a new shuffle, the same on every rank
      const mine = await trainEpoch(model, trainLoader, criterion, optimizer, rank === 0 ? { label: `epoch ${epoch}/${opts.epochs}` } : {});
      const train = meanOverRanks(mine, sampler.len());
      if (rank === 0) {
        const test = await evaluate(model.module, testLoader, criterion);
        const seconds = (Date.now() - t0) / 1000;
        records.push({ epoch, trainLoss: train.loss, trainAccuracy: train.accuracy, testAccuracy: test.accuracy, seconds });
        log(`epoch ${epoch}/${opts.epochs}: train loss ${train.loss.toFixed(4)} acc ${pct(train.accuracy)} (all ranks) | test acc ${pct(test.accuracy)} | ${seconds.toFixed(1)} s`);
      }
    }
    if (rank === 0) {
      fs.mkdirSync(opts.out, { recursive: true });
      const file = path.join(opts.out, 'fashion-cnn-ddp.pt');
      await torch.save(model.module.stateDict(), file);
      log(`saved ${file} (Python: FashionCNN().load_state_dict(torch.load(path)))`);
    }
  } finally {
    dist.destroyProcessGroup();
  }
  return records;
}

/** The epoch's loss and accuracy over every rank's images (each rank saw `count`). */
function meanOverRanks(mine: EpochResult, count: number): EpochResult {
  const sums = torch.tensor([mine.loss * count, mine.accuracy * count, count], { dtype: torch.float64 });
  dist.allReduce(sums);
  const [loss, correct, seen] = sums.tolist() as number[];
  return { loss: loss / seen, accuracy: correct / seen };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`error: ${e.message}` + (e instanceof UsageError ? `\n\n${USAGE}` : ''));
    process.exitCode = 1;
  });
}
