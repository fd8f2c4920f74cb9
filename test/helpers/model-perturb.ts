// A seeded perturbation of a model's weights and running statistics, written once per language, so
// that outputs compared with torchvision's test more than the initialisation; and how they compare.
import * as torch from '../../lib';
import type { Module } from '../../lib/nn';

/** Python's perturb(m, seed, max_numel): the twin of perturb() below, for runPython programs. */
export const PY_PERTURB = `
def perturb(m, seed, max_numel=float('inf')):
    torch.manual_seed(seed)
    with torch.no_grad():
        for n, p in m.named_parameters():
            if p.numel() < max_numel:
                p.add_(torch.randn_like(p) * 0.05)
        for n, b in m.named_buffers():
            if n.endswith('running_mean'): b.uniform_(-0.2, 0.2)
            if n.endswith('running_var'): b.uniform_(1.0, 2.0)
`;

/** Adds seeded noise to every parameter smaller than maxNumel and redraws BN running statistics. */
export function perturb(m: Module, seed: number, maxNumel = Infinity): void {
  torch.manualSeed(seed);
  torch.noGrad(() => {
    for (const [, p] of m.namedParameters()) if (p.numel() < maxNumel) p.add_(torch.randnLike(p).mul(0.05));
    for (const [n, b] of m.namedBuffers()) {
      if (n.endsWith('running_mean')) b.uniform_(-0.2, 0.2);
      if (n.endsWith('running_var')) b.uniform_(1.0, 2.0);
    }
  });
}

/** max |got - want| relative to max |want|. */
export function relDiff(got: torch.Tensor, want: number[]): number {
  // float64 given explicitly: large outputs (resnet152's are ~1e23) are integral JS numbers, read as int64 otherwise
  const w = torch.tensor(want, { dtype: torch.float64 });
  const scale = Math.max(w.abs().max().item() as number, 1e-6);
  return (got.flatten().double().sub(w).abs().max().item() as number) / scale;
}
