// torch.random: Python's module of that name (seeds, RNG states, forkRng).
export { manualSeed, initialSeed } from '../runtime';
export { defaultGenerator, getRngState, setRngState, forkRng } from './random';
export type { ForkRngOptions } from './random';
