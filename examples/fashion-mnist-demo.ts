// Trains a small MLP (784-128-10, relu) on Fashion-MNIST with the literal PyTorch training loop:
// tensors with requiresGrad as parameters, forward, cross-entropy, loss.backward(), an SGD update
// under torch.noGrad, grads reset to null. Run: node dist/examples/fashion-mnist-demo.js --help
import * as path from 'path';
import { parseArgs } from 'util';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { readIdxFile } from '../lib/data/idx';
// Not yet in the public API: torch.randperm and Tensor.indexSelect (used for shuffling only).
import { aten } from '../lib/tensor/aten';

const randperm = aten('randperm', '');
const indexSelectOp = aten('index_select', '');

const USAGE = `Usage: node dist/examples/fashion-mnist-demo.js [options]
  --root DIR        Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
  --epochs N        passes over the training set (default 5)
  --batch-size N    minibatch size (default 64)
  --lr X            SGD learning rate (default 0.1)
  --limit N         train on the first N examples only (default: all 60000)
  --seed N          torch.manualSeed (default 0)
  --help            this text`;

export interface EpochStats {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
  seconds: number;
}

export interface DemoResult {
  epochs: EpochStats[];
  testAccuracy: number;
  peakRssMB: number;
}

interface Options {
  root: string;
  epochs: number;
  batchSize: number;
  lr: number;
  limit?: number;
  seed: number;
}

/** A bad command line: the CLI prints the usage text with it. */
export class UsageError extends Error {}

const OPTIONS = {
  root: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
  epochs: { type: 'string', default: '5' },
  'batch-size': { type: 'string', default: '64' },
  lr: { type: 'string', default: '0.1' },
  limit: { type: 'string' },
  seed: { type: 'string', default: '0' },
  help: { type: 'boolean', default: false },
} as const;

function parseOptions(argv: string[]): Options | undefined {
  const values = (() => {
    try {
      return parseArgs({ args: argv, options: OPTIONS }).values;
    } catch (e) {
      throw new UsageError((e as Error).message); // unknown option, missing value
    }
  })();
  if (values.help) return undefined;
  const int = (name: string, s: string, min: number): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${s}'`);
    return n;
  };
  const lr = Number(values.lr);
  if (!(lr > 0)) throw new UsageError(`--lr must be a positive number, got '${values.lr}'`);
  return {
    root: values.root!,
    epochs: int('epochs', values.epochs!, 1),
    batchSize: int('batch-size', values['batch-size']!, 1),
    lr,
    limit: values.limit === undefined ? undefined : int('limit', values.limit, 1),
    seed: int('seed', values.seed!, 0),
  };
}

/** Images as float [N, 784] in [0, 1], labels as int64 [N]. */
function loadSplit(root: string, split: 'train' | 't10k', limit?: number): [Tensor, Tensor] {
  return torch.tidy(() => {
    let images = readIdxFile(path.join(root, `${split}-images-idx3-ubyte.gz`));
    let labels = readIdxFile(path.join(root, `${split}-labels-idx1-ubyte.gz`));
    if (limit !== undefined && limit < labels.size(0)) {
      images = images.narrow(0, 0, limit);
      labels = labels.narrow(0, 0, limit);
    }
    return [images.flatten(1).float().div(255), labels.contiguous()] as [Tensor, Tensor];
  });
}

/** nn.Linear's default init: weight and bias uniform in (-1/sqrt(fanIn), 1/sqrt(fanIn)). */
function linear(fanIn: number, fanOut: number): [Tensor, Tensor] {
  const bound = 1 / Math.sqrt(fanIn);
  const uniform = (...shape: number[]) => torch.tidy(() => torch.rand(shape).mul(2 * bound).sub(bound)).requiresGrad_();
  return [uniform(fanOut, fanIn), uniform(fanOut)];
}

export function main(argv: string[], log: (line: string) => void = console.log): DemoResult | undefined {
  const opts = parseOptions(argv);
  if (!opts) {
    log(USAGE);
    return undefined;
  }
  torch.manualSeed(opts.seed);
  const t0 = Date.now();
  const [xTrain, yTrain] = loadSplit(opts.root, 'train', opts.limit);
  const [xTest, yTest] = loadSplit(opts.root, 't10k');
  log(`loaded ${xTrain.size(0)} training and ${xTest.size(0)} test images in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const [w1, b1] = linear(784, 128);
  const [w2, b2] = linear(128, 10);
  const params = [w1, b1, w2, b2];
  const forward = (x: Tensor): Tensor => x.matmul(w1.t()).add(b1).relu().matmul(w2.t()).add(b2);
  // Cross-entropy = mean over the batch of -log p(target); the one-hot mask picks log p(target).
  const classes = torch.arange(10);
  const crossEntropy = (logits: Tensor, y: Tensor): Tensor =>
    logits.logSoftmax(1).mul(y.unsqueeze(1).eq(classes).float()).sum(1).mean().neg();
  const correct = (logits: Tensor, y: Tensor): number => logits.argmax(1).eq(y).sum().item() as number;

  const n = xTrain.size(0);
  const epochs: EpochStats[] = [];
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const start = Date.now();
    const perm = randperm([n]) as Tensor;
    let lossSum = 0;
    let hits = 0;
    for (let i = 0; i < n; i += opts.batchSize) {
      // tidy frees every tensor of the step at once (activations, graph, grads) instead of waiting for GC.
      torch.tidy(() => {
        const idx = perm.narrow(0, i, Math.min(opts.batchSize, n - i));
        const x = indexSelectOp([xTrain, 0, idx]) as Tensor;
        const y = indexSelectOp([yTrain, 0, idx]) as Tensor;
        const logits = forward(x);
        const loss = crossEntropy(logits, y);
        loss.backward();
        torch.noGrad(() => {
          for (const p of params) {
            p.sub_(p.grad!.mul(opts.lr));
            p.grad = null;
          }
        });
        lossSum += (loss.item() as number) * y.size(0);
        hits += correct(logits, y);
      });
    }
    perm.dispose();
    const testHits = torch.noGrad(() => torch.tidy(() => correct(forward(xTest), yTest)));
    const stats: EpochStats = {
      epoch,
      loss: lossSum / n,
      trainAccuracy: hits / n,
      testAccuracy: testHits / xTest.size(0),
      seconds: (Date.now() - start) / 1000,
    };
    epochs.push(stats);
    log(
      `epoch ${epoch}/${opts.epochs}  loss ${stats.loss.toFixed(4)}  train acc ${(100 * stats.trainAccuracy).toFixed(2)}%  ` +
        `test acc ${(100 * stats.testAccuracy).toFixed(2)}%  ${stats.seconds.toFixed(1)} s`,
    );
  }
  for (const t of [xTrain, yTrain, xTest, yTest, classes, ...params]) t.dispose();
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s, peak RSS ${peakRssMB.toFixed(0)} MB, live tensors ${torch.memory().liveTensors}`);
  return { epochs, testAccuracy: epochs[epochs.length - 1].testAccuracy, peakRssMB };
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`error: ${(e as Error).message}` + (e instanceof UsageError ? `\n\n${USAGE}` : ''));
    process.exitCode = 1;
  }
}
