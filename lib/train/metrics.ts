// Metrics for fit(): a function of (outputs, targets) giving the batch's mean, averaged over the
// epoch weighted by batch size. 'accuracy' is built in (argmax over dim 1 against class indices).
import type { Tensor } from '../tensor/tensor';
import { TorchError } from '../errors';

export type Metric = (outputs: Tensor, targets: Tensor) => number;
export type MetricsSpec = (string | [name: string, fn: Metric])[] | Record<string, Metric | string>;

/** Fraction of rows whose highest output is the target class. */
export function accuracy(outputs: Tensor, targets: Tensor): number {
  return (outputs.argmax(1).eq(targets).sum().item() as number) / targets.size(0);
}

const BUILT_IN: Record<string, Metric> = { accuracy, acc: accuracy };

function builtIn(name: string): Metric {
  const fn = BUILT_IN[name];
  if (!fn) throw new TorchError(`fit: unknown metric '${name}' (built in: ${Object.keys(BUILT_IN).join(', ')}; or pass a function)`);
  return fn;
}

/** The metrics option as [name, fn] pairs. */
export function resolveMetrics(spec: MetricsSpec | undefined): [string, Metric][] {
  if (!spec) return [];
  if (Array.isArray(spec)) return spec.map((m) => (typeof m === 'string' ? [m, builtIn(m)] : m));
  return Object.entries(spec).map(([name, m]) => [name, typeof m === 'string' ? builtIn(m) : m]);
}

/** Sums of batch means times batch sizes, for epoch averages. */
export class RunningMeans {
  private readonly sums = new Map<string, number>();
  private count = 0;

  add(values: Record<string, number>, n: number): void {
    for (const [k, v] of Object.entries(values)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * n);
    this.count += n;
  }

  means(prefix = ''): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, s] of this.sums) out[prefix + k] = s / Math.max(1, this.count);
    return out;
  }
}
