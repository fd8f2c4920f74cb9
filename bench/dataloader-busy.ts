// The dataset of bench/dataloader (b): each getItem spins ~`ms` of CPU in JS, like a decoding or
// augmentation step written in JavaScript. Its own module so that worker threads can load it.
import * as torch from '../lib';
import { Dataset } from '../lib/data';

export class BusyDataset extends Dataset<[torch.Tensor, number]> {
  constructor(
    private readonly n: number,
    private readonly ms: number,
  ) {
    super();
  }
  len(): number {
    return this.n;
  }
  getItem(i: number): [torch.Tensor, number] {
    const end = performance.now() + this.ms;
    let x = i;
    while (performance.now() < end) x = (x * 1103515245 + 12345) % 2147483648;
    return [torch.full([16], x % 1000), i];
  }
}
