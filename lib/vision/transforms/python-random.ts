// Python's `random` module generator (CPython 3's Mersenne Twister, seeded as random.seed(n) seeds
// it), which torchvision's RandomChoice and RandomOrder draw from (random.choices, random.shuffle)
// rather than torch's generator: after the same seed they make Python's choices.
import { randomBytes } from 'crypto';
import { PyTypeError, ValueError } from '../../errors';
import { getWorkerInfo } from '../../data/worker-info';

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

  /** random.getrandbits(k) for 0 <= k <= 32 */
  getrandbits(k: number): number {
    if (k === 0) return 0;
    return this.next() >>> (32 - k);
  }

  /** random._randbelow(n): an integer in [0, n), by rejection, as Python draws it */
  randbelow(n: number): number {
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** random.choices(population, weights)[0] */
  choice<T>(population: readonly T[], weights: readonly number[] | null = null): T {
    const n = population.length;
    if (weights === null) return population[Math.floor(this.random() * n)];
    const cum: number[] = [];
    weights.reduce((sum, w) => (cum.push(sum + w), sum + w), 0);
    if (cum.length !== n) throw new ValueError('The number of weights does not match the population');
    const total = cum[n - 1];
    if (!(total > 0)) throw new ValueError('Total of weights must be greater than zero');
    if (!Number.isFinite(total)) throw new ValueError('Total of weights must be finite');
    // bisect_right(cum, x, 0, n - 1)
    const x = this.random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < cum[mid]) hi = mid;
      else lo = mid + 1;
    }
    return population[lo];
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
 * The generator RandomChoice and RandomOrder draw from: Python's module-level `random`.
 * `pythonRandom.seed(0)` is Python's `random.seed(0)`. In a DataLoader worker thread it starts
 * from the worker's seed (baseSeed + id), as PyTorch's worker loop calls random.seed(seed).
 */
export const pythonRandom = new PythonRandom(() => getWorkerInfo()?.seed ?? null);
