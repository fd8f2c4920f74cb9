// pytorch/examples super_resolution (model.py and main.py), line by line: the sub-pixel CNN with
// PixelShuffle and orthogonal initialisation scaled by calculate_gain('relu'), trained with Adam
// and MSELoss, PSNR on the test set, a checkpoint per epoch.
// data.py/dataset.py (BSDS300 through PIL: YCbCr's Y channel, PIL's bicubic Resize) are not ported:
// torch-node's vision has no YCbCr conversion and resizes tensors, not PIL images; main() takes
// the (input, target) datasets instead.
// Run: node dist/examples/pytorch-examples/super-resolution.js (a demo on random images)
import * as torch from '../../lib';
import { nn, optim, Tensor } from '../../lib';
import { DataLoader, Dataset, TensorDataset } from '../../lib/data';

const init = nn.init;

export class Net extends nn.Module {
  relu: nn.ReLU;
  conv1: nn.Conv2d;
  conv2: nn.Conv2d;
  conv3: nn.Conv2d;
  conv4: nn.Conv2d;
  pixel_shuffle: nn.PixelShuffle;

  constructor(upscale_factor: number) {
    super();
    this.relu = new nn.ReLU();
    this.conv1 = new nn.Conv2d(1, 64, [5, 5], [1, 1], [2, 2]);
    this.conv2 = new nn.Conv2d(64, 64, [3, 3], [1, 1], [1, 1]);
    this.conv3 = new nn.Conv2d(64, 32, [3, 3], [1, 1], [1, 1]);
    this.conv4 = new nn.Conv2d(32, upscale_factor ** 2, [3, 3], [1, 1], [1, 1]);
    this.pixel_shuffle = new nn.PixelShuffle(upscale_factor);
    this._initialize_weights();
  }

  forward(x: Tensor): Tensor {
    x = this.relu(this.conv1(x));
    x = this.relu(this.conv2(x));
    x = this.relu(this.conv3(x));
    x = this.pixel_shuffle(this.conv4(x));
    return x;
  }

  _initialize_weights(): void {
    init.orthogonal_(this.conv1.weight, init.calculateGain('relu'));
    init.orthogonal_(this.conv2.weight, init.calculateGain('relu'));
    init.orthogonal_(this.conv3.weight, init.calculateGain('relu'));
    init.orthogonal_(this.conv4.weight);
  }
}

export interface Options {
  upscale_factor: number;
  batchSize: number;
  testBatchSize: number;
  nEpochs: number;
  lr: number;
  threads: number;
  seed: number;
  /** the folder of the checkpoints (Python writes to the working directory) */
  out: string;
}
export const defaults: Omit<Options, 'upscale_factor'> = { batchSize: 64, testBatchSize: 10, nEpochs: 2, lr: 0.01, threads: 4, seed: 123, out: '.' };

export interface SuperResolutionResult {
  model: Net;
  losses: number[];   // every iteration's loss
  psnrs: number[];    // per epoch
}

type Pairs = Dataset<Tensor[]>;   // (input, target) items, as TensorDataset gives

export async function main(options: Partial<Options> & { upscale_factor: number }, sets: { train: Pairs; test: Pairs }, print: (line: string) => void = console.log): Promise<SuperResolutionResult> {
  const opt: Options = { ...defaults, ...options };
  print(JSON.stringify(opt));   // print(opt)
  torch.manualSeed(opt.seed);
  const device = torch.device('cpu');

  print('===> Loading datasets');
  const train_set = sets.train;
  const test_set = sets.test;
  const training_data_loader = new DataLoader({ dataset: train_set, numWorkers: opt.threads, batchSize: opt.batchSize, shuffle: true });
  const testing_data_loader = new DataLoader({ dataset: test_set, numWorkers: opt.threads, batchSize: opt.testBatchSize, shuffle: false });

  print('===> Building model');
  const model = new Net(opt.upscale_factor).to(device);
  const criterion = new nn.MSELoss();
  const optimizer = new optim.Adam(model.parameters(), { lr: opt.lr });
  const losses: number[] = [];
  const psnrs: number[] = [];

  async function train(epoch: number): Promise<void> {
    let epoch_loss = 0;
    let iteration = 1;   // enumerate(training_data_loader, 1)
    for await (const batch of training_data_loader) {
      const [input, target] = [batch[0].to(device), batch[1].to(device)];
      optimizer.zeroGrad();
      const loss = criterion(model(input), target);
      epoch_loss += loss.item();
      losses.push(loss.item());
      loss.backward();
      optimizer.step();
      print(`===> Epoch[${epoch}](${iteration}/${training_data_loader.length}): Loss: ${loss.item().toFixed(4)}`);
      iteration++;
    }
    print(`===> Epoch ${epoch} Complete: Avg. Loss: ${(epoch_loss / training_data_loader.length).toFixed(4)}`);
  }

  async function test(): Promise<void> {
    let avg_psnr = 0;
    await torch.noGrad(async () => {
      for await (const batch of testing_data_loader) {
        const [input, target] = [batch[0].to(device), batch[1].to(device)];
        const prediction = model(input);
        const mse = criterion(prediction, target);
        const psnr = 10 * Math.log10(1 / mse.item());
        avg_psnr += psnr;
      }
    });
    psnrs.push(avg_psnr / testing_data_loader.length);
    print(`===> Avg. PSNR: ${(avg_psnr / testing_data_loader.length).toFixed(4)} dB`);
  }

  async function checkpoint(epoch: number): Promise<void> {
    const model_out_path = `model_epoch_${epoch}.pth`;
    // Python pickles the whole module (torch.save(model, path)); the state_dict is what travels here
    await torch.save(model.stateDict(), `${opt.out}/${model_out_path}`);
    print(`Checkpoint saved to ${model_out_path}`);
  }

  for (let epoch = 1; epoch < opt.nEpochs + 1; epoch++) {
    await train(epoch);
    await test();
    await checkpoint(epoch);
  }
  return { model, losses, psnrs };
}

/** Low- and high-resolution pairs: random images and their upscale-factor average pools. */
export function randomPairs(n: number, size: number, upscale_factor: number): TensorDataset {
  const target = torch.rand(n, 1, size, size);
  return new TensorDataset(torch.nn.functional.avgPool2d(target, upscale_factor), target);
}

if (require.main === module) {
  torch.manualSeed(0);
  void main({ upscale_factor: 3, batchSize: 4, nEpochs: 1, threads: 0 }, { train: randomPairs(16, 24, 3), test: randomPairs(8, 24, 3) });
}
