// One rank of bench/distributed.ts's DDP workload (started by the launcher): an MLP 784-512-10,
// batch 64 per rank, SGD momentum, wrapped in DistributedDataParallel; rank 0 writes ms/step to
// $BENCH_OUT. bench/distributed_rank.py is the same in PyTorch.
import * as fs from 'fs';
import * as torch from '../lib';
import { nn, optim, distributed as dist } from '../lib';

const STEPS = Number(process.env.BENCH_STEPS ?? 200);
const WARMUP = 20;

function main(): void {
  torch.setNumThreads(1);
  dist.initProcessGroup('gloo');
  torch.manualSeed(dist.getRank());
  const model = new nn.parallel.DistributedDataParallel(new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 10)));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = torch.randn(64, 784);
  const y = torch.randint(0, 10, [64]);
  const step = () => {
    opt.zeroGrad({ setToNone: true });
    nn.functional.crossEntropy(model(x), y).backward();
    opt.step();
  };
  for (let i = 0; i < WARMUP; i++) step();
  dist.barrier();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < STEPS; i++) step();
  dist.barrier();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / STEPS;
  if (dist.getRank() === 0) fs.writeFileSync(process.env.BENCH_OUT!, JSON.stringify({ msPerStep: ms }));
  dist.destroyProcessGroup();
}

main();
