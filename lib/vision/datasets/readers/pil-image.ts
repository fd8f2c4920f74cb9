// What PILToTensor()(Image.open(file)) gives, for the datasets that return the file's image as PIL
// opened it (no convert): uint8 [C, H, W] with the file's own bands (a palette PNG's indices), and
// for a 16-bit gray PNG (PIL's mode 'I', e.g. Cityscapes' instance ids) int32 [1, H, W].
import * as fs from 'fs';
import { Tensor } from '../../../tensor/tensor';
import { readImage } from '../../io';
import { readPng16 } from './flow-files';

/** A PNG's IHDR says 16 bits per sample, gray (colour type 0). */
function isGray16Png(head: Buffer): boolean {
  return head.length >= 26 && head.toString('latin1', 1, 4) === 'PNG' && head[24] === 16 && head[25] === 0;
}

export async function readPilImage(file: string): Promise<Tensor> {
  const fd = await fs.promises.open(file, 'r').catch(() => null);
  if (fd) {
    const head = Buffer.alloc(26);
    try {
      await fd.read(head, 0, 26, 0);
    } finally {
      await fd.close();
    }
    if (isGray16Png(head)) return readPng16(file);
  }
  return readImage(file, 'UNCHANGED');
}
