// torch.inf, torch.nan, torch.pi, torch.e: Python's math constants re-exported by torch.
export const inf = Infinity;
export const nan = NaN;
export const pi = Math.PI;
export const e = Math.E;
