// torch.distributions.Distribution: batch and event shapes, sampling, scoring, argument validation
// (on by default, as Python's `__debug__`), and Python's repr.
import { inspect } from 'util';
import * as torch from './torch';
import { Tensor } from './torch';
import { Constraint, isDependent } from './constraints';
import { ValueError, NotImplementedError } from '../errors';
import { Size, pyFormat, sameShape } from './utils';
import { pyTuple, pySize } from '../py-format';

export interface DistributionOptions {
  validateArgs?: boolean | null;
}

/** Python's attribute name of a parameter: covarianceMatrix -> covariance_matrix. */
export const pyName = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export abstract class Distribution {
  private static defaultValidateArgs = true;

  /** Distribution.set_default_validate_args: turns validation on or off for every instance without its own choice. */
  static setDefaultValidateArgs(value: boolean): void {
    if (value !== true && value !== false) throw new ValueError('');
    Distribution.defaultValidateArgs = value;
  }

  protected _batchShape: Size = [];
  protected _eventShape: Size = [];
  protected _ownValidateArgs: boolean | undefined;
  /** Lazily computed parameters (Python's lazy_property), once computed they count as set. */
  protected _lazy: Record<string, Tensor> = {};

  get _validateArgs(): boolean {
    return this._ownValidateArgs ?? Distribution.defaultValidateArgs;
  }
  set _validateArgs(v: boolean) {
    this._ownValidateArgs = v;
  }

  /** Python's Distribution.__init__: records the shapes and validates the parameters. Call it last. */
  protected init(batchShape: Size = [], eventShape: Size = [], validateArgs?: boolean | null): void {
    this._batchShape = [...batchShape];
    this._eventShape = [...eventShape];
    if (validateArgs !== undefined && validateArgs !== null) this._ownValidateArgs = validateArgs;
    if (!this._validateArgs) return;
    let argConstraints: Record<string, Constraint>;
    try {
      argConstraints = this.argConstraints;
    } catch (e) {
      if (!(e instanceof NotImplementedError)) throw e;
      argConstraints = {};
      torch.warn(`<class '${this.constructor.name}'> does not define \`arg_constraints\`. Please set \`arg_constraints = {}\` or initialize the distribution with \`validate_args=False\` to turn off validation.`);
    }
    for (const [param, constraint] of Object.entries(argConstraints)) {
      if (isDependent(constraint)) continue; // cannot be checked
      if (!this._stored(param) && this._lazyNames().includes(param)) continue; // not computed yet
      const value = (this as unknown as Record<string, Tensor>)[param];
      if (!constraint.check(value).all().item<boolean>()) {
        throw new ValueError(
          `Expected parameter ${pyName(param)} (${value.constructor.name} of shape ${pyTuple(value.shape)}) of distribution ${this} ` +
            `to satisfy the constraint ${constraint}, but found invalid values:\n${pyFormat(value)}`,
        );
      }
    }
  }

  /** A bare instance of this class for expand(), as Python's `self.__new__(type(self))`. */
  protected _newInstance<T extends Distribution>(this: T): T {
    const o = Object.create(Object.getPrototypeOf(this)) as T;
    o._lazy = {};
    return o;
  }

  /** Copies the validation choice after expand(), which never re-validates. */
  protected _finishExpand<T extends Distribution>(this: T, batchShape: Size, eventShape: Size, source: Distribution): T {
    this.init(batchShape, eventShape, false);
    this._ownValidateArgs = source._ownValidateArgs;
    return this;
  }

  /** Whether a parameter is held by the instance (Python: `name in self.__dict__`). */
  protected _stored(name: string): boolean {
    return name in this._lazy || (Object.prototype.hasOwnProperty.call(this, name) && (this as Record<string, unknown>)[name] !== undefined);
  }

  /** Parameters computed on first use from another one. */
  protected _lazyNames(): string[] {
    return [];
  }

  /** Reads (computing once, with grad enabled) a lazy parameter. */
  protected _lazyGet(name: string, compute: () => Tensor): Tensor {
    let v = this._lazy[name];
    if (v === undefined) v = this._lazy[name] = torch.enableGrad(compute);
    return v;
  }

  expand(batchShape: Size): Distribution {
    void batchShape;
    throw new NotImplementedError();
  }

  get batchShape(): Size {
    return [...this._batchShape];
  }
  get eventShape(): Size {
    return [...this._eventShape];
  }
  get argConstraints(): Record<string, Constraint> {
    throw new NotImplementedError();
  }
  get support(): Constraint {
    throw new NotImplementedError();
  }
  get hasRsample(): boolean {
    return false;
  }
  get hasEnumerateSupport(): boolean {
    return false;
  }
  get mean(): Tensor {
    throw new NotImplementedError();
  }
  get mode(): Tensor {
    throw new NotImplementedError(`<class '${this.constructor.name}'> does not implement mode`);
  }
  get variance(): Tensor {
    throw new NotImplementedError();
  }
  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  /** A sample (no gradient) of shape sampleShape + batchShape + eventShape. */
  sample(sampleShape: Size = []): Tensor {
    return torch.noGrad(() => this.rsample(sampleShape));
  }
  /** A reparameterised sample: differentiable with respect to the parameters. */
  rsample(sampleShape: Size = []): Tensor {
    void sampleShape;
    throw new NotImplementedError();
  }
  sampleN(n: number): Tensor {
    torch.warn('sample_n will be deprecated. Use .sample((n,)) instead');
    return this.sample([n]);
  }
  logProb(value: Tensor): Tensor {
    void value;
    throw new NotImplementedError();
  }
  cdf(value: Tensor): Tensor {
    void value;
    throw new NotImplementedError();
  }
  icdf(value: Tensor): Tensor {
    void value;
    throw new NotImplementedError();
  }
  enumerateSupport(expand = true): Tensor {
    void expand;
    throw new NotImplementedError();
  }
  entropy(): Tensor {
    throw new NotImplementedError();
  }
  perplexity(): Tensor {
    return torch.exp(this.entropy());
  }

  /** sampleShape + batchShape + eventShape */
  protected _extendedShape(sampleShape: Size = []): Size {
    return [...sampleShape, ...this._batchShape, ...this._eventShape];
  }

  /** The checks of logProb/cdf on a value: its shape against the event and batch shapes, then the support. */
  _validateSample(value: Tensor): void {
    if (!(value instanceof Tensor)) throw new ValueError('The value argument to log_prob must be a Tensor');
    const shape = value.shape;
    const start = shape.length - this._eventShape.length;
    if (start < 0 || !sameShape(shape.slice(start), this._eventShape)) {
      throw new ValueError(`The right-most size of value must match event_shape: ${pySize(shape)} vs ${pySize(this._eventShape)}.`);
    }
    const expected = [...this._batchShape, ...this._eventShape];
    for (let i = shape.length - 1, j = expected.length - 1; i >= 0 && j >= 0; i--, j--) {
      if (shape[i] !== 1 && expected[j] !== 1 && shape[i] !== expected[j]) {
        throw new ValueError(`Value is not broadcastable with batch_shape+event_shape: ${pySize(shape)} vs ${pySize(expected)}.`);
      }
    }
    let support: Constraint;
    try {
      support = this.support;
    } catch (e) {
      if (!(e instanceof NotImplementedError)) throw e;
      torch.warn(`<class '${this.constructor.name}'> does not define \`support\` to enable sample validation. Please initialize the distribution with \`validate_args=False\` to turn off validation.`);
      return;
    }
    if (!support.check(value).all().item<boolean>()) {
      throw new ValueError(
        `Expected value argument (${value.constructor.name} of shape ${pyTuple(value.shape)}) to be within the support (${support}) ` +
          `of the distribution ${this}, but found invalid values:\n${pyFormat(value)}`,
      );
    }
  }

  /** Python's repr: the parameters held, by value when they have one element, else by shape. */
  toString(): string {
    const args = Object.keys(this.argConstraints)
      .filter((k) => this._stored(k))
      .map((k) => {
        const v = (this as unknown as Record<string, Tensor>)[k];
        return `${pyName(k)}: ${v.numel() === 1 ? pyFormat(v) : pySize(v.shape)}`;
      });
    return `${this.constructor.name}(${args.join(', ')})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
