// Gate for GPU tests: describeCuda runs its tests when torch.cuda.isAvailable(), and otherwise
// skips them, saying why once per file.
import * as torch from '../../lib';

export const hasCuda = torch.cuda.isAvailable();

export function describeCuda(name: string, fn: () => void): void {
  if (hasCuda) {
    describe(name, fn);
    return;
  }
  describe.skip(`${name} (skipped: torch.cuda.isAvailable() is false; ${torch.cuda.isBuilt() ? 'no GPU' : 'CPU-only libtorch'})`, fn);
}

/** max |a - b| over all elements, both moved to the CPU as float64. */
export function maxDiff(a: torch.Tensor, b: torch.Tensor): number {
  return a.detach().cpu().double().sub(b.detach().cpu().double()).abs().max().item() as number;
}
