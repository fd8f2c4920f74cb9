// pytorch/examples vae/main.py, line by line: a VAE on MNIST with the reparameterization trick,
// the summed binary cross entropy + KL loss, Adam, and save_image of reconstructions and samples.
// Run: node dist/examples/pytorch-examples/vae.js (MNIST's files under ../data/MNIST/raw)
import * as fs from 'fs';
import * as torch from '../../lib';
import { nn, optim, Tensor } from '../../lib';
import { DataLoader, Dataset } from '../../lib/data';
import { datasets, transforms, utils } from '../../lib/vision';

const F = torch.nn.functional;
const save_image = utils.saveImage;

export interface Args {
  batch_size: number;
  epochs: number;
  seed: number;
  log_interval: number;
  /** the folder of the PNGs (Python writes to 'results/') */
  results: string;
}
export const defaults: Args = { batch_size: 128, epochs: 10, seed: 1, log_interval: 10, results: 'results' };

export class VAE extends nn.Module {
  fc1 = new nn.Linear(784, 400);
  fc21 = new nn.Linear(400, 20);
  fc22 = new nn.Linear(400, 20);
  fc3 = new nn.Linear(20, 400);
  fc4 = new nn.Linear(400, 784);

  encode(x: Tensor): [Tensor, Tensor] {
    const h1 = F.relu(this.fc1(x));
    return [this.fc21(h1), this.fc22(h1)];
  }

  reparameterize(mu: Tensor, logvar: Tensor): Tensor {
    const std = torch.exp(logvar.mul(0.5));
    const eps = torch.randnLike(std);
    return mu.add(eps.mul(std));
  }

  decode(z: Tensor): Tensor {
    const h3 = F.relu(this.fc3(z));
    return torch.sigmoid(this.fc4(h3));
  }

  forward(x: Tensor): [Tensor, Tensor, Tensor] {
    const [mu, logvar] = this.encode(x.view(-1, 784));
    const z = this.reparameterize(mu, logvar);
    return [this.decode(z), mu, logvar];
  }
}

// Reconstruction + KL divergence losses summed over all elements and batch
export function loss_function(recon_x: Tensor, x: Tensor, mu: Tensor, logvar: Tensor): Tensor {
  const BCE = F.binaryCrossEntropy(recon_x, x.view(-1, 784), { reduction: 'sum' });
  // Appendix B of Kingma and Welling, Auto-Encoding Variational Bayes (ICLR 2014):
  // 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
  const KLD = torch.sum(logvar.add(1).sub(mu.pow(2)).sub(logvar.exp())).mul(-0.5);
  return BCE.add(KLD);
}

export interface VaeResult {
  model: VAE;
  trainLosses: number[];   // every batch's loss.item()
  testLosses: number[];    // per epoch
}

type ImageDataset = Dataset<[Tensor, unknown]>;

/** main.py; the datasets default to MNIST as in Python (given here to run on other images). */
export async function main(argv: Partial<Args> = {}, data: { train?: ImageDataset; test?: ImageDataset } = {}, log: (line: string) => void = console.log): Promise<VaeResult> {
  const args: Args = { ...defaults, ...argv };
  torch.manualSeed(args.seed);
  const device = torch.device('cpu');
  log(`Using device: ${device}`);

  const train_loader = new DataLoader(
    data.train ?? new datasets.MNIST('../data', { train: true, download: true, transform: new transforms.ToTensor() }),
    { batchSize: args.batch_size, shuffle: true });
  const test_loader = new DataLoader(
    data.test ?? new datasets.MNIST('../data', { train: false, transform: new transforms.ToTensor() }),
    { batchSize: args.batch_size, shuffle: false });

  const model = new VAE().to(device);
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const trainLosses: number[] = [];
  const testLosses: number[] = [];

  async function train(epoch: number): Promise<void> {
    model.train();
    let train_loss = 0;
    let batch_idx = 0;
    for await (let [data] of train_loader) {
      data = data.to(device);
      optimizer.zeroGrad();
      const [recon_batch, mu, logvar] = model(data);
      const loss = loss_function(recon_batch, data, mu, logvar);
      loss.backward();
      train_loss += loss.item();
      trainLosses.push(loss.item());
      optimizer.step();
      if (batch_idx % args.log_interval === 0) {
        log(`Train Epoch: ${epoch} [${batch_idx * data.length}/${train_loader.dataset.length} (${((100 * batch_idx) / train_loader.length).toFixed(0)}%)]\tLoss: ${(loss.item() / data.length).toFixed(6)}`);
      }
      batch_idx++;
    }
    log(`====> Epoch: ${epoch} Average loss: ${(train_loss / train_loader.dataset.length).toFixed(4)}`);
  }

  async function test(epoch: number): Promise<void> {
    model.eval();
    let test_loss = 0;
    await torch.noGrad(async () => {
      let i = 0;
      for await (let [data] of test_loader) {
        data = data.to(device);
        const [recon_batch, mu, logvar] = model(data);
        test_loss += loss_function(recon_batch, data, mu, logvar).item();
        if (i === 0) {
          const n = Math.min(data.size(0), 8);
          const comparison = torch.cat([data.index(torch.slice(null, n)), recon_batch.view(args.batch_size, 1, 28, 28).index(torch.slice(null, n))]);
          await save_image(comparison.cpu(), `${args.results}/reconstruction_${epoch}.png`, { nrow: n });
        }
        i++;
      }
    });
    test_loss /= test_loader.dataset.length;
    testLosses.push(test_loss);
    log(`====> Test set loss: ${test_loss.toFixed(4)}`);
  }

  fs.mkdirSync(args.results, { recursive: true });   // Python expects results/ to exist
  for (let epoch = 1; epoch < args.epochs + 1; epoch++) {
    await train(epoch);
    await test(epoch);
    await torch.noGrad(async () => {
      let sample = torch.randn(64, 20).to(device);
      sample = model.decode(sample).cpu();
      await save_image(sample.view(64, 1, 28, 28), `${args.results}/sample_${epoch}.png`);
    });
  }
  return { model, trainLosses, testLosses };
}

if (require.main === module) void main();
