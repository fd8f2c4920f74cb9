// The main job's TensorBoard log, as PyTorch's "Visualizing models, data, and training with
// TensorBoard" tutorial writes it: a grid of images, the model's graph, and per-epoch curves.
// Nothing here draws random numbers, so the run trains exactly as without it.
import * as path from 'path';
import * as torch from '../../lib';
import { Module } from '../../lib/nn/module';
import { SummaryWriter } from '../../lib/utils/tensorboard';
import { utils } from '../../lib/vision';
import type { FashionImages } from './dataset';

/** A new run directory under <out>/runs, named by the time as Python's default (runs/<date>_<host>). */
export function openRun(out: string): SummaryWriter {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '').replace(/[:T]/g, '-');
  return new SummaryWriter(path.join(out, 'runs', stamp));
}

/** The first 16 test images as one grid, and the model's graph traced on one of them. */
export function logModelAndData(writer: SummaryWriter, model: Module, images: FashionImages, device: string): void {
  const first = Array.from({ length: Math.min(16, images.len()) }, (_, i) => images.getItem(i)[0]);
  writer.addImage('fashion_mnist_images', utils.makeGrid(torch.stack(first), { nrow: 8 }));
  writer.addGraph(model, first[0].unsqueeze(0).to(device));
}

export interface EpochScalars {
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  lr: number;
}

export function logEpoch(writer: SummaryWriter, epoch: number, s: EpochScalars): void {
  writer.addScalars('Loss', { train: s.trainLoss, test: s.testLoss }, epoch);
  writer.addScalars('Accuracy', { train: s.trainAccuracy, test: s.testAccuracy }, epoch);
  writer.addScalar('Learning rate', s.lr, epoch);
  writer.flush(); // readable while training goes on
}
