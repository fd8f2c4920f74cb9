// Python's `random.Random` (CPython 3.11's Mersenne Twister, seeded as random.seed(n) seeds it).
// torchvision's RandomChoice/RandomOrder (random.choices, random.shuffle) and the Shufflers of
// torch.utils.data.datapipes (randint, sample) draw from one rather than from torch's generator, so
// after the same seed they make Python's choices. Every draw (randint, randrange, choice, choices,
// uniform, sample, shuffle) follows CPython 3.11's code step by step.
import { randomBytes } from 'crypto';
import { PyTypeError, ValueError, IndexError } from './errors';
import { signature } from './keywords';
import { getWorkerInfo } from './data/worker-info';

const CHOICES = signature<{ population: readonly unknown[]; weights?: readonly number[] | null; cumWeights?: readonly number[] | null; k?: number }>()(['population'], ['weights'], ['cumWeights', 'k']);
const SAMPLE = signature<{ population: readonly unknown[]; k: number; counts?: readonly number[] | null }>()(['population', 'k'], [], ['counts']);

/** randrange's checks of an argument: an integral number (Python accepts 3.0, refuses 3.5). */
function integral(x: number, what: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x)) throw new ValueError(`non-integer ${what} for randrange()`);
  return x;
}

/** bisect.bisect_right(a, x, 0, hi) */
function bisectRight(a: readonly number[], x: number, hi = a.length): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** itertools.accumulate */
function accumulate(xs: readonly number[]): number[] {
  const out: number[] = [];
  xs.reduce((sum, x) => (out.push(sum + x), sum + x), 0);
  return out;
}

const N = 624;
const M = 397;

export class PythonRandom {
  private readonly mt = new Uint32Array(N);
  /** N + 1 until seeded: the first draw seeds it with initialSeed() */
  private index = N + 1;

  /** initialSeed: the seed used when none was given before the first draw (null: from the OS) */
  constructor(private readonly initialSeed: () => number | bigint | null = () => null) {}

  /** random.seed(n) for an integer n (Python uses |n|); with none, as Python, from the OS. */
  seed(n?: number | bigint | null): this {
    if (n === undefined || n === null) {
      const bytes = randomBytes(N * 4);
      this.seedByArray(Array.from(new Uint32Array(bytes.buffer, bytes.byteOffset, N)));
      return this;
    }
    if (typeof n === 'number' && !Number.isInteger(n)) throw new PyTypeError('PythonRandom.seed takes an integer');
    let rest = BigInt(n);
    if (rest < 0n) rest = -rest;
    // |n| as 32-bit words, least significant first; 0 is one word
    const key: number[] = [];
    do {
      key.push(Number(rest & 0xffffffffn));
      rest >>= 32n;
    } while (rest > 0n);
    this.seedByArray(key);
    return this;
  }

  /** random.random(): a float in [0, 1) from 53 random bits */
  random(): number {
    const a = this.next() >>> 5;
    const b = this.next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** random.getrandbits(k) for 0 <= k <= 53 (a JS number holds those exactly): 32-bit words, least significant first */
  getrandbits(k: number): number {
    if (!Number.isInteger(k)) throw new PyTypeError(`'${typeof k}' object cannot be interpreted as an integer`);
    if (k < 0) throw new ValueError('number of bits must be non-negative');
    if (k > 53) throw new ValueError(`getrandbits(${k}): torch-node draws at most 53 bits (a JS number)`);
    if (k <= 32) return k === 0 ? 0 : this.next() >>> (32 - k);
    const low = this.next();
    return low + (this.next() >>> (64 - k)) * 4294967296;
  }

  /** random._randbelow(n): an integer in [0, n), by rejection, as Python draws it */
  randbelow(n: number): number {
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** random.choice(seq): seq[randbelow(len(seq))] */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new IndexError('Cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)];
  }

  /**
   * random.choices(population, weights=None, *, cum_weights=None, k=1): k draws with replacement,
   * `choices(pop, [1, 2])`, `choices(pop, { cumWeights: [1, 3], k: 5 })`.
   */
  choices<T>(population: readonly T[], ...rest: [weights?: readonly number[] | null, options?: { cumWeights?: readonly number[] | null; k?: number }] | [options: { weights?: readonly number[] | null; cumWeights?: readonly number[] | null; k?: number }]): T[];
  choices(...args: unknown[]): unknown[] {
    const bound = CHOICES.bind('choices', args);
    const { population, weights = null, k = 1 } = bound;
    let { cumWeights = null } = bound;
    const n = population.length;
    const out: unknown[] = [];
    if (cumWeights === null) {
      if (weights === null) {
        for (let i = 0; i < k; i++) out.push(population[Math.floor(this.random() * n)]);
        return out;
      }
      cumWeights = accumulate(weights);
    } else if (weights !== null) {
      throw new PyTypeError('Cannot specify both weights and cumulative weights');
    }
    if (cumWeights.length !== n) throw new ValueError('The number of weights does not match the population');
    const total = cumWeights[n - 1];
    if (total <= 0) throw new ValueError('Total of weights must be greater than zero');
    if (!Number.isFinite(total)) throw new ValueError('Total of weights must be finite');
    for (let i = 0; i < k; i++) out.push(population[bisectRight(cumWeights, this.random() * total, n - 1)]);
    return out;
  }

  /** random.randrange(stop) or randrange(start, stop[, step]) */
  randrange(start: number, stop: number | null = null, step = 1): number {
    const istart = integral(start, 'arg 1');
    if (stop === null) {
      if (step !== 1) throw new PyTypeError('Missing a non-None stop argument');
      if (istart > 0) return this.randbelow(istart);
      throw new ValueError('empty range for randrange()');
    }
    const istop = integral(stop, 'stop');
    const width = istop - istart;
    const istep = integral(step, 'step');
    if (istep === 1) {
      if (width > 0) return istart + this.randbelow(width);
      throw new ValueError(`empty range for randrange() (${istart}, ${istop}, ${width})`);
    }
    if (istep === 0) throw new ValueError('zero step for randrange()');
    const n = istep > 0 ? Math.floor((width + istep - 1) / istep) : Math.floor((width + istep + 1) / istep);
    if (n <= 0) throw new ValueError('empty range for randrange()');
    return istart + istep * this.randbelow(n);
  }

  /** random.randint(a, b): an integer in [a, b], both ends included */
  randint(a: number, b: number): number {
    return this.randrange(a, b + 1);
  }

  /** random.uniform(a, b): a + (b - a) * random() */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /**
   * random.sample(population, k, *, counts=None): k distinct positions, in selection order, drawn
   * as Python draws them (a pool for small populations, rejection from a set for large ones).
   */
  sample<T>(population: readonly T[], k: number, options?: { counts?: readonly number[] | null }): T[];
  sample<T>(population: readonly T[], options: { k: number; counts?: readonly number[] | null }): T[];
  sample<T>(options: { population: readonly T[]; k: number; counts?: readonly number[] | null }): T[];
  sample(...args: unknown[]): unknown[] {
    const { population, k, counts = null } = SAMPLE.bind('sample', args);
    if (counts !== null) {
      const cum = accumulate(counts);
      if (cum.length !== population.length) throw new ValueError('The number of counts does not match the population');
      const total = cum.pop()!;
      if (!Number.isInteger(total)) throw new PyTypeError('Counts must be integers');
      if (total <= 0) throw new ValueError('Total of counts must be greater than zero');
      return this.sampleIndices(total, k).map((s) => population[bisectRight(cum, s)]);
    }
    return this.sampleIndices(population.length, k).map((j) => population[j]);
  }

  /** sample(range(n), k) */
  private sampleIndices(n: number, k: number): number[] {
    if (!Number.isInteger(k)) throw new PyTypeError(`'${typeof k}' object cannot be interpreted as an integer`);
    if (!(k >= 0 && k <= n)) throw new ValueError('Sample larger than population or is negative');
    const result: number[] = [];
    let setsize = 21; // size of a small set minus that of an empty list, as Python sizes it
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result.push(pool[j]);
        pool[j] = pool[n - i - 1];
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result.push(j);
      }
    }
    return result;
  }

  /** random.shuffle(x), in place */
  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      [x[i], x[j]] = [x[j], x[i]];
    }
  }

  private seedByArray(key: readonly number[]): void {
    const mt = this.mt;
    mt[0] = 19650218;
    for (let i = 1; i < N; i++) mt[i] = Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  private next(): number {
    const mt = this.mt;
    if (this.index > N) this.seed(this.initialSeed());
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/**
 * Python's module-level `random` (random.seed, random.choice, ...): the generator torchvision's
 * RandomChoice/RandomOrder and torch.testing.make_non_contiguous draw from. `pythonRandom.seed(0)` is
 * Python's `random.seed(0)`. In a DataLoader worker thread it starts from the worker's seed
 * (baseSeed + id), as PyTorch's worker loop calls random.seed(seed).
 */
export const pythonRandom = new PythonRandom(() => getWorkerInfo()?.seed ?? null);
