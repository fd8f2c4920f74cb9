// torch.quasirandom
export { SobolEngine } from './sobol-engine';
