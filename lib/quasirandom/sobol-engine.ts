// torch.quasirandom.SobolEngine: Sobol' low-discrepancy points in [0, 1)^dimension, optionally with
// Owen-style scrambling, over libtorch's _sobol_engine_* kernels (direction numbers up to 21201
// dimensions, 30 bits).
import { inspect } from 'util';
import { aten } from '../tensor/aten';
import { Tensor } from '../tensor/tensor';
import { DType, float32, int64 } from '../tensor/dtype';
import { arange, randint, zeros } from '../tensor/create';
import { Generator } from '../tensor/random';
import { cat, pow } from '../tensor/functions';
import { ValueError } from '../errors';
import { ArgsOf, signature } from '../keywords';

const ops = {
  draw: aten('_sobol_engine_draw', ''),
  ff: aten('_sobol_engine_ff_', ''),
  scramble: aten('_sobol_engine_scramble_', ''),
  initializeState: aten('_sobol_engine_initialize_state_', ''),
};

interface SobolArgs {
  dimension: number;
  scramble?: boolean;
  seed?: number | null;
}
const SOBOL = signature<SobolArgs>()(['dimension'], ['scramble', 'seed']);
interface DrawArgs {
  n?: number;
  out?: Tensor | null;
  dtype?: DType;
}
const DRAW = signature<DrawArgs>()([], ['n', 'out', 'dtype']);
interface DrawBase2Args {
  m: number;
  out?: Tensor | null;
  dtype?: DType;
}
const DRAW_BASE2 = signature<DrawBase2Args>()(['m'], ['out', 'dtype']);

export class SobolEngine {
  static readonly MAXBIT = 30;
  static readonly MAXDIM = 21201;

  readonly dimension: number;
  readonly scramble: boolean;
  readonly seed: number | null;
  /** Per dimension, the direction numbers (scrambled when asked). */
  sobolstate: Tensor;
  /** The digital shift: zero, or random bits when scrambled. */
  shift!: Tensor;
  /** The current point as 30-bit integers. */
  quasi: Tensor;
  numGenerated = 0;
  private _firstPoint: Tensor;

  constructor(...args: ArgsOf<typeof SOBOL>) {
    const { dimension, scramble = false, seed = null } = SOBOL.bind('SobolEngine', args);
    if (dimension > SobolEngine.MAXDIM || dimension < 1) {
      throw new ValueError(`Supported range of dimensionality for SobolEngine is [1, ${SobolEngine.MAXDIM}]`);
    }
    this.seed = seed;
    this.scramble = scramble;
    this.dimension = dimension;
    this.sobolstate = zeros([dimension, SobolEngine.MAXBIT], { dtype: int64, device: 'cpu' });
    ops.initializeState([this.sobolstate, dimension]);
    if (!scramble) this.shift = zeros([dimension], { dtype: int64, device: 'cpu' });
    else this._scramble();
    this.quasi = this.shift.clone();
    this._firstPoint = this.quasi.div(2 ** SobolEngine.MAXBIT).reshape(1, -1);
  }

  /** Random shift bits and lower-triangular scrambling matrices, from `seed` or the default generator. */
  private _scramble(): void {
    const generator = this.seed !== null ? new Generator().manualSeed(this.seed) : undefined;
    const B = SobolEngine.MAXBIT;
    const shiftInts = randint(2, [this.dimension, B], { device: 'cpu', generator });
    this.shift = shiftInts.mv(pow(2, arange(0, B, { device: 'cpu' })));
    const ltm = randint(2, [this.dimension, B, B], { device: 'cpu', generator }).tril();
    ops.scramble([this.sobolstate, ltm, this.dimension]);
  }

  /** The next n points, (n, dimension), in dtype (float32 by default); into `out` when given. */
  draw(...args: ArgsOf<typeof DRAW>): Tensor {
    const { n = 1, out = null, dtype = float32 } = DRAW.bind('draw', args);
    let result: Tensor;
    if (this.numGenerated === 0) {
      if (n === 1) result = this._firstPoint.to(dtype);
      else {
        // the kernel continues from the first point, which it does not emit itself
        const [rest, quasi] = ops.draw([this.quasi, n - 1, this.sobolstate, this.dimension, this.numGenerated], { dtype: dtype.code }) as Tensor[];
        this.quasi = quasi;
        result = cat([this._firstPoint, rest], -2);
      }
    } else {
      const [next, quasi] = ops.draw([this.quasi, n, this.sobolstate, this.dimension, this.numGenerated - 1], { dtype: dtype.code }) as Tensor[];
      this.quasi = quasi;
      result = next;
    }
    this.numGenerated += n;
    if (out) return out.resizeAs_(result).copy_(result);
    return result;
  }

  /** The next 2**m points; the total drawn must stay a power of 2 (Sobol' balance). */
  drawBase2(...args: ArgsOf<typeof DRAW_BASE2>): Tensor {
    const { m, out = null, dtype = float32 } = DRAW_BASE2.bind('draw_base2', args);
    const n = 2 ** m;
    const total = this.numGenerated + n;
    if (!Number.isInteger(Math.log2(total))) {
      throw new ValueError(
        `The balance properties of Sobol' points require n to be a power of 2. ${this.numGenerated} points have been previously generated, ` +
          `then: n=${this.numGenerated}+2**${m}=${total}. If you still want to do this, please use 'SobolEngine.draw()' instead.`,
      );
    }
    return this.draw(n, out, dtype);
  }

  /** Back to the first point. */
  reset(): this {
    this.quasi.copy_(this.shift);
    this.numGenerated = 0;
    return this;
  }

  /** Skips n points, as drawing them would. */
  fastForward(n: number): this {
    const from = this.numGenerated === 0 ? [n - 1, 0] : [n, this.numGenerated - 1];
    ops.ff([this.quasi, from[0], this.sobolstate, this.dimension, from[1]]);
    this.numGenerated += n;
    return this;
  }

  toString(): string {
    const parts = [`dimension=${this.dimension}`];
    if (this.scramble) parts.push('scramble=True');
    if (this.seed !== null) parts.push(`seed=${this.seed}`);
    return `SobolEngine(${parts.join(', ')})`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}
