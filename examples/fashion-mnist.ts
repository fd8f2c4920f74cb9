// The main job: a CNN learns Fashion-MNIST with PyTorch's own training loop, is tested, saved as a
// state_dict Python loads and as a traced TorchScript module (loads in Python or C++ without the
// class), its curves are drawn and logged for TensorBoard; then a transfer-learning comparison.
// Run: npm start -- --help
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim } from '../lib';
import { DataLoader } from '../lib/data';
import { FashionCNN } from './fashion-mnist/model';
import { fashionImages } from './fashion-mnist/dataset';
import { trainEpoch, evaluate } from './fashion-mnist/loop';
import { curvesSvg } from './fashion-mnist/plot';
import { transferRun, TransferResult } from './fashion-mnist/transfer';
import { parseOptions, USAGE, UsageError, Options } from './fashion-mnist/options';
import { logEpoch, logModelAndData, openRun } from './fashion-mnist/tensorboard';

export { UsageError };

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
}

export interface MainResult {
  history: EpochRecord[];
  testAccuracy: number;
  weightsFile: string;
  scriptFile: string;
  plotFile: string;
  /** the run's TensorBoard log directory */
  logDir: string;
  trainSeconds: number;
  transfer?: TransferResult;
}

type Stream = { write(s: string): unknown; isTTY?: boolean };

export async function main(argv: string[], log: (line: string) => void = console.log, stream: Stream = process.stderr): Promise<MainResult | undefined> {
  const opts = parseOptions(argv);
  if (!opts) {
    log(USAGE);
    return undefined;
  }
  if (opts.device.startsWith('cuda') && !torch.cuda.isAvailable()) throw new UsageError('--device cuda: CUDA is not available in this libtorch build');
  if (opts.threads) torch.setNumThreads(opts.threads);
  torch.manualSeed(opts.seed);
  fs.mkdirSync(opts.out, { recursive: true });

  const trainImages = fashionImages({ train: true, limit: opts.limit }, opts.workers > 0);
  const testImages = fashionImages({ train: false, limit: opts.testLimit }, false);
  const trainLoader = new DataLoader(trainImages, { batchSize: opts.batchSize, shuffle: true, numWorkers: opts.workers });
  const testLoader = new DataLoader(testImages, { batchSize: 1000 });
  log(`Fashion-MNIST: ${trainImages.len()} training and ${testImages.len()} test images; ${torch.getNumThreads()} threads, device ${opts.device}`);

  const model = new FashionCNN().to(opts.device);
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.Adam(model.parameters(), { lr: opts.lr });
  const scheduler = new optim.lrScheduler.CosineAnnealingLR(optimizer, opts.epochs); // lr decays to 0 over the run

  const writer = openRun(opts.out);
  logModelAndData(writer, model, testImages, opts.device);

  const history: EpochRecord[] = [];
  const start = Date.now();
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const t0 = Date.now();
    const lr = optimizer.paramGroups[0].lr as number;
    const train = await trainEpoch(model, trainLoader, criterion, optimizer, { device: opts.device, label: `epoch ${epoch}/${opts.epochs}`, stream });
    scheduler.step();
    const seconds = (Date.now() - t0) / 1000;
    const test = await evaluate(model, testLoader, criterion, opts.device);
    history.push({ epoch, trainLoss: train.loss, trainAccuracy: train.accuracy, testLoss: test.loss, testAccuracy: test.accuracy, seconds });
    logEpoch(writer, epoch, { trainLoss: train.loss, trainAccuracy: train.accuracy, testLoss: test.loss, testAccuracy: test.accuracy, lr });
    log(`epoch ${epoch}/${opts.epochs}: train loss ${train.loss.toFixed(4)} acc ${pct(train.accuracy)} | test loss ${test.loss.toFixed(4)} acc ${pct(test.accuracy)} | ${seconds.toFixed(1)} s`);
  }
  const trainSeconds = (Date.now() - start) / 1000;
  const testAccuracy = history[history.length - 1].testAccuracy;
  log(`test accuracy ${pct(testAccuracy)} after ${opts.epochs} epochs, ${trainSeconds.toFixed(1)} s`);

  const weightsFile = path.join(opts.out, 'fashion-cnn.pt');
  await torch.save(model.stateDict(), weightsFile);
  const scriptFile = path.join(opts.out, 'fashion-cnn.torchscript.pt');
  await torch.jit.save(torch.jit.trace(model.eval(), torch.zeros(1, 1, 28, 28, { device: opts.device })), scriptFile);
  const plotFile = path.join(opts.out, 'curves.svg');
  fs.writeFileSync(plotFile, plot(history));
  fs.writeFileSync(path.join(opts.out, 'history.json'), JSON.stringify(history, null, 1) + '\n');
  log(`saved ${weightsFile} (Python: model.load_state_dict(torch.load(path, weights_only=True))), ${plotFile}`);
  log(`saved ${scriptFile} (Python or C++: torch.jit.load(path), no model class needed)`);
  writer.close();
  log(`TensorBoard log in ${writer.getLogdir()}: tensorboard --logdir ${path.join(opts.out, 'runs')}`);

  const transfer = opts.transfer ? await transferRun(opts, log, stream) : undefined;
  log(`total ${((Date.now() - start) / 1000).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  return { history, testAccuracy, weightsFile, scriptFile, plotFile, logDir: writer.getLogdir(), trainSeconds, transfer };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function plot(history: EpochRecord[]): string {
  return curvesSvg([
    {
      title: 'loss',
      series: [
        { name: 'train', values: history.map((h) => h.trainLoss), color: '#1f77b4' },
        { name: 'test', values: history.map((h) => h.testLoss), color: '#ff7f0e' },
      ],
    },
    {
      title: 'accuracy',
      format: (v) => `${(100 * v).toFixed(1)}%`,
      series: [
        { name: 'train', values: history.map((h) => h.trainAccuracy), color: '#1f77b4' },
        { name: 'test', values: history.map((h) => h.testAccuracy), color: '#ff7f0e' },
      ],
    },
  ]);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`error: ${e.message}` + (e instanceof UsageError ? `\n\n${USAGE}` : ''));
    process.exitCode = 1;
  });
}

export type { Options };
