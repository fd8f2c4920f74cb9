// Fashion-MNIST as the CNN wants it: [1, 28, 28] float images in [0, 1] (torchvision's ToTensor)
// and class indices. Optionally only some classes (relabelled 0..k-1) and only the first `perClass`
// images of each, for the transfer-learning run. A plain class with cloneable constructor options,
// so DataLoader worker threads can rebuild it (fromModule).
import * as path from 'path';
import * as fs from 'fs';
import { Tensor } from '../../lib';
import { Dataset, fromModule } from '../../lib/data';
import { datasets } from '../../lib/vision';

export const CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export interface FashionImagesOptions {
  root?: string;
  train?: boolean;
  /** keep only these classes; labels become their positions in this list */
  classes?: number[];
  /** keep only the first N images of each kept class */
  perClass?: number;
  /** keep only the first N images (after the filters above) */
  limit?: number;
}

/** torchvision's transforms.ToTensor() for a uint8 [28, 28] image. */
export function toTensor(img: Tensor): Tensor {
  return img.float().div(255).unsqueeze(0);
}

export class FashionImages extends Dataset<[Tensor, number]> {
  private readonly base: datasets.FashionMNIST;
  private readonly indices: number[];
  private readonly labels: number[];

  constructor(options: FashionImagesOptions = {}) {
    super();
    this.base = new datasets.FashionMNIST({ root: options.root, train: options.train ?? true, transform: toTensor });
    const all = Array.from(this.base.targets.toTypedArray() as BigInt64Array, Number);
    const keep = options.classes ?? CLASSES.map((_, i) => i);
    const seen = new Map<number, number>();
    this.indices = [];
    this.labels = [];
    for (let i = 0; i < all.length && this.indices.length < (options.limit ?? Infinity); i++) {
      const label = keep.indexOf(all[i]);
      if (label < 0) continue;
      const n = seen.get(label) ?? 0;
      if (options.perClass !== undefined && n >= options.perClass) continue;
      seen.set(label, n + 1);
      this.indices.push(i);
      this.labels.push(label);
    }
  }

  len(): number {
    return this.indices.length;
  }

  getItem(index: number): [Tensor, number] {
    return [this.base.getItem(this.indices[index])[0], this.labels[index]];
  }
}

/** This module's compiled path: worker threads require() JavaScript, also when this file runs as .ts. */
function compiledModule(): string {
  const js = __filename.replace(/\.ts$/, '.js');
  if (fs.existsSync(js)) return js;
  return path.resolve(__dirname, '../../dist/examples/fashion-mnist/dataset.js');
}

/** A FashionImages that worker threads can rebuild (numWorkers > 0) or a plain one. */
export function fashionImages(options: FashionImagesOptions, forWorkers: boolean): FashionImages {
  return forWorkers ? fromModule<FashionImages>(compiledModule(), 'FashionImages', options) : new FashionImages(options);
}
