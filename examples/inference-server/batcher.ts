// Micro-batching: requests that arrive within `maxDelayMs` of each other (up to `maxBatch`) share one
// forward pass. Each caller gets its own row of the output.
import * as torch from '../../lib';
import { Tensor } from '../../lib';

interface Pending {
  input: Tensor;
  resolve: (row: Tensor) => void;
  reject: (e: Error) => void;
}

export interface BatcherStats {
  requests: number;
  batches: number;
  largestBatch: number;
}

export class MicroBatcher {
  private queue: Pending[] = [];
  private timer?: NodeJS.Timeout;
  readonly stats: BatcherStats = { requests: 0, batches: 0, largestBatch: 0 };

  constructor(
    /** runs on a batch [N, ...] and returns [N, ...] (or a promise of it: a model run off the event loop) */
    private readonly run: (batch: Tensor) => Tensor | Promise<Tensor>,
    private readonly maxBatch = 32,
    private readonly maxDelayMs = 5,
  ) {}

  /** The model's output row for one input (without the batch dimension). */
  submit(input: Tensor): Promise<Tensor> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.stats.requests++;
      if (this.queue.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length) this.timer = setTimeout(() => void this.flush(), 0);
    if (!batch.length) return;
    this.stats.batches++;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    try {
      const out = await torch.noGrad(() => this.run(torch.stack(batch.map((p) => p.input))));
      batch.forEach((p, i) => p.resolve(out.select(0, i)));
    } catch (e) {
      for (const p of batch) p.reject(e as Error);
    }
  }
}
