// Transfer learning: a backbone trained on classes 0-4 is frozen (requiresGrad_(false)), its head is
// replaced by a new one for classes 5-9, and only the head learns from a few hundred images. The same
// few images train a fresh model from scratch for comparison; both are tested on all test images of
// classes 5-9.
import { nn, optim } from '../../lib';
import { DataLoader } from '../../lib/data';
import { FashionCNN } from './model';
import { fashionImages } from './dataset';
import { trainEpoch, evaluate } from './loop';
import type { Options } from './options';

export interface TransferResult {
  pretrainAccuracy: number;
  transferAccuracy: number;
  scratchAccuracy: number;
  examples: number;
}

const OLD = [0, 1, 2, 3, 4];
const NEW = [5, 6, 7, 8, 9];

export async function transferRun(opts: Options, log: (line: string) => void, stream?: { write(s: string): unknown; isTTY?: boolean }): Promise<TransferResult> {
  // worker threads only for the big pretraining set; the few-shot and test sets are read in place
  const loader = (ds: ReturnType<typeof fashionImages>, shuffle: boolean, numWorkers = 0) =>
    new DataLoader(ds, { batchSize: opts.batchSize, shuffle, numWorkers });
  const forWorkers = opts.workers > 0;
  const criterion = new nn.CrossEntropyLoss();

  // 1. the backbone learns classes 0-4 (one pass)
  const oldTrain = loader(fashionImages({ classes: OLD, limit: opts.limit && Math.ceil(opts.limit / 2) }, forWorkers), true, opts.workers);
  const oldTest = loader(fashionImages({ train: false, classes: OLD, limit: opts.testLimit }, false), false);
  const pretrained = new FashionCNN(OLD.length).to(opts.device);
  await trainEpoch(pretrained, oldTrain, criterion, new optim.Adam(pretrained.parameters(), { lr: opts.lr }), {
    device: opts.device,
    label: 'pretrain on classes 0-4',
    stream,
  });
  const pretrainAccuracy = (await evaluate(pretrained, oldTest, criterion, opts.device)).accuracy;
  log(`backbone trained on classes 0-4: test accuracy ${(100 * pretrainAccuracy).toFixed(2)}% on those classes`);

  // 2. a few images of classes 5-9
  const fewShotImages = fashionImages({ classes: NEW, perClass: opts.shots }, false);
  const newTestImages = fashionImages({ train: false, classes: NEW, limit: opts.testLimit }, false);
  const fewShot = loader(fewShotImages, true);
  const newTest = loader(newTestImages, false);
  const examples = fewShotImages.len();
  const epochs = Math.max(5, Math.ceil(3000 / examples)); // a few thousand image passes

  // frozen backbone, new head: only the head's parameters are optimised
  const transferred = pretrained;
  transferred.backbone.requiresGrad_(false);
  transferred.head = FashionCNN.newHead(NEW.length).to(opts.device);
  const headOptimizer = new optim.Adam(transferred.head.parameters(), { lr: opts.lr });
  for (let e = 1; e <= epochs; e++) {
    await trainEpoch(transferred, fewShot, criterion, headOptimizer, { device: opts.device, frozen: [transferred.backbone] });
  }
  const transferAccuracy = (await evaluate(transferred, newTest, criterion, opts.device)).accuracy;

  // the same images, every parameter trained from a random start
  const scratch = new FashionCNN(NEW.length).to(opts.device);
  const scratchOptimizer = new optim.Adam(scratch.parameters(), { lr: opts.lr });
  for (let e = 1; e <= epochs; e++) await trainEpoch(scratch, fewShot, criterion, scratchOptimizer, { device: opts.device });
  const scratchAccuracy = (await evaluate(scratch, newTest, criterion, opts.device)).accuracy;

  log(`transfer learning, ${examples} training images of classes 5-9 (${opts.shots} per class), ${epochs} epochs, tested on ${newTestImages.len()} images:`);
  log(`  frozen pretrained backbone + new head: ${(100 * transferAccuracy).toFixed(2)}%`);
  log(`  same model trained from scratch:       ${(100 * scratchAccuracy).toFixed(2)}%`);
  return { pretrainAccuracy, transferAccuracy, scratchAccuracy, examples };
}
