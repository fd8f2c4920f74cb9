// Command-line options of the main job.
import { parseArgs } from 'util';

export const USAGE = `Usage: npm start -- [options]     (node dist/examples/fashion-mnist.js [options])
Trains a CNN on Fashion-MNIST, evaluates it on the test set, saves its state_dict (.pt, loads in
Python) and the loss/accuracy curves (.svg), then runs a transfer-learning comparison.
  --epochs N          passes over the 60,000 training images (default 3)
  --batch-size N      minibatch size (default 64)
  --lr X              Adam learning rate (default 0.001, cosine-annealed to 0)
  --device D          cpu or cuda (default cpu)
  --workers N         DataLoader worker threads (default 0: load in the main thread)
  --threads N         torch.setNumThreads (default: libtorch's default)
  --out DIR           where the .pt, .svg, history and TensorBoard runs/ go (default out)
  --limit N           use only the first N training images (quick runs)
  --test-limit N      evaluate on the first N test images only
  --shots N           transfer run: training images per new class (default 50; 5 classes)
  --no-transfer       skip the transfer-learning run
  --seed N            torch.manualSeed (default 0)
  --help              this text`;

export interface Options {
  epochs: number;
  batchSize: number;
  lr: number;
  device: string;
  workers: number;
  threads?: number;
  out: string;
  limit?: number;
  testLimit?: number;
  shots: number;
  transfer: boolean;
  seed: number;
}

/** A bad command line: the CLI prints the usage text with it. */
export class UsageError extends Error {}

const SPEC = {
  epochs: { type: 'string', default: '3' },
  'batch-size': { type: 'string', default: '64' },
  lr: { type: 'string', default: '0.001' },
  device: { type: 'string', default: 'cpu' },
  workers: { type: 'string', default: '0' },
  threads: { type: 'string' },
  out: { type: 'string', default: 'out' },
  limit: { type: 'string' },
  'test-limit': { type: 'string' },
  shots: { type: 'string', default: '50' },
  'no-transfer': { type: 'boolean', default: false },
  seed: { type: 'string', default: '0' },
  help: { type: 'boolean', default: false },
} as const;

/** The options, or undefined for --help. */
export function parseOptions(argv: string[]): Options | undefined {
  let values;
  try {
    values = parseArgs({ args: argv, options: SPEC, strict: true }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return undefined;
  const int = (name: string, s: string | undefined, min: number): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${s}'`);
    return n;
  };
  const lr = Number(values.lr);
  if (!(lr > 0)) throw new UsageError(`--lr must be a positive number, got '${values.lr}'`);
  if (!/^(cpu|cuda(:\d+)?)$/.test(values.device!)) throw new UsageError(`--device must be cpu or cuda, got '${values.device}'`);
  return {
    epochs: int('epochs', values.epochs, 1)!,
    batchSize: int('batch-size', values['batch-size'], 1)!,
    lr,
    device: values.device!,
    workers: int('workers', values.workers, 0)!,
    threads: int('threads', values.threads, 1),
    out: values.out!,
    limit: int('limit', values.limit, 1),
    testLimit: int('test-limit', values['test-limit'], 1),
    shots: int('shots', values.shots, 1)!,
    transfer: !values['no-transfer'],
    seed: int('seed', values.seed, 0)!,
  };
}
