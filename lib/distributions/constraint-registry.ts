// torch.distributions.constraint_registry: from a constraint to a transform that maps unconstrained
// reals onto it. `bijectTo(c)` gives a bijection (for HMC and reparameterised densities),
// `transformTo(c)` any map (for optimisation). Registries are callable, `bijectTo(c)`, as in Python,
// and dispatch on the constraint's exact class (later registrations of a class replace earlier ones).
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Constraint } from './constraints';
import * as transforms from './transforms';
import { Transform } from './transforms';
import { NotImplementedError, PyTypeError } from '../errors';
import { callableInstance } from '../callable';

type ConstraintClass = abstract new (...args: any[]) => Constraint;
export type TransformFactory<C extends Constraint = any> = (constraint: C) => Transform;

// The factories Python exposes as the classes themselves (constraints.independent is a class there).
const FACTORY_CLASSES = new Map<unknown, ConstraintClass>([
  [constraints.independent, constraints.IndependentConstraint],
  [constraints.integerInterval, constraints.IntegerInterval],
  [constraints.greaterThan, constraints.GreaterThan],
  [constraints.greaterThanEq, constraints.GreaterThanEq],
  [constraints.lessThan, constraints.LessThan],
  [constraints.multinomial, constraints.Multinomial],
  [constraints.interval, constraints.Interval],
  [constraints.halfOpenInterval, constraints.HalfOpenInterval],
  [constraints.cat, constraints.Cat],
  [constraints.stack, constraints.Stack],
]);

const isConstraintClass = (c: unknown): c is ConstraintClass => typeof c === 'function' && (c === Constraint || c.prototype instanceof Constraint);

/** Python's name of a constraint class: the library's private ones start with '_'. */
function pyClassName(cls: Function): string {
  const builtin = cls !== Constraint && (Object.values(constraints) as unknown[]).includes(cls);
  return builtin ? `_${cls.name}` : cls.name;
}

export interface ConstraintRegistry {
  (constraint: Constraint): Transform;
}
export class ConstraintRegistry {
  declare _registry: Map<Function, TransformFactory>;

  constructor() {
    const self = callableInstance<ConstraintRegistry>(new.target.prototype, (r, [c]) => r.call(c));
    self._registry = new Map();
    return self;
  }

  /**
   * Registers `factory` for a Constraint subclass, a constraint of that class, or one of the
   * constraint factories (constraints.interval ...); without a factory, returns a function that
   * registers the one it is given (Python's decorator form).
   */
  register<C extends Constraint>(constraint: unknown, factory: TransformFactory<C>): TransformFactory<C>;
  register<C extends Constraint>(constraint: unknown): (factory: TransformFactory<C>) => TransformFactory<C>;
  register<C extends Constraint>(constraint: unknown, factory?: TransformFactory<C>): unknown {
    if (factory === undefined) return (f: TransformFactory<C>) => this.register(constraint, f);
    const cls = constraint instanceof Constraint ? (constraint.constructor as ConstraintClass) : FACTORY_CLASSES.get(constraint) ?? constraint;
    if (!isConstraintClass(cls)) {
      throw new PyTypeError(`Expected constraint to be either a Constraint subclass or instance, but got ${String(constraint)}`);
    }
    this._registry.set(cls, factory);
    return factory;
  }

  /** The transform onto `constraint`: NotImplementedError where its class has none. */
  call(constraint: Constraint): Transform {
    const factory = this._registry.get(constraint.constructor);
    if (!factory) throw new NotImplementedError(`Cannot transform ${pyClassName(constraint.constructor)} constraints`);
    return factory(constraint);
  }
  toString(): string {
    return '<torch.distributions.constraint_registry.ConstraintRegistry object>';
  }
}

export const bijectTo = new ConstraintRegistry();
export const transformTo = new ConstraintRegistry();

// The registrations PyTorch 1.13 makes, in its order: `positive` and `nonnegative` are of the
// classes GreaterThan / GreaterThanEq, so the greaterThan factory registered after them wins.
for (const registry of [bijectTo, transformTo]) registry.register(constraints.real, () => transforms.identityTransform);

bijectTo.register(constraints.independent, (c: constraints.IndependentConstraint) => new transforms.IndependentTransform(bijectTo(c.baseConstraint), c.reinterpretedBatchNdims));
transformTo.register(constraints.independent, (c: constraints.IndependentConstraint) => new transforms.IndependentTransform(transformTo(c.baseConstraint), c.reinterpretedBatchNdims));

for (const registry of [bijectTo, transformTo]) {
  for (const c of [constraints.positive, constraints.nonnegative]) registry.register(c, () => new transforms.ExpTransform());
  const toGreaterThan = (c: constraints.GreaterThan | constraints.GreaterThanEq) =>
    new transforms.ComposeTransform([new transforms.ExpTransform(), new transforms.AffineTransform(c.lowerBound, 1)]);
  registry.register(constraints.greaterThan, toGreaterThan);
  registry.register(constraints.greaterThanEq, toGreaterThan);
  registry.register(constraints.lessThan, (c: constraints.LessThan) => new transforms.ComposeTransform([new transforms.ExpTransform(), new transforms.AffineTransform(c.upperBound, -1)]));
  registry.register(constraints.interval, toInterval);
  registry.register(constraints.halfOpenInterval, toInterval);
}

/** Sigmoid for the unit interval, else sigmoid then loc + scale x. */
function toInterval(c: constraints.Interval | constraints.HalfOpenInterval): Transform {
  if (c.lowerBound === 0 && c.upperBound === 1) return new transforms.SigmoidTransform();
  const { lowerBound: lo, upperBound: hi } = c;
  const scale = typeof hi === 'number' && typeof lo === 'number' ? hi - lo : hi instanceof Tensor ? hi.sub(lo) : (lo as Tensor).neg().add(hi);
  return new transforms.ComposeTransform([new transforms.SigmoidTransform(), new transforms.AffineTransform(lo, scale)]);
}

bijectTo.register(constraints.simplex, () => new transforms.StickBreakingTransform());
transformTo.register(constraints.simplex, () => new transforms.SoftmaxTransform());
transformTo.register(constraints.lowerCholesky, () => new transforms.LowerCholeskyTransform());
for (const registry of [bijectTo, transformTo]) registry.register(constraints.corrCholesky, () => new transforms.CorrCholeskyTransform());

bijectTo.register(constraints.cat, (c: constraints.Cat) => new transforms.CatTransform(c.cseq.map((x) => bijectTo(x)), c.dim, c.lengths));
transformTo.register(constraints.cat, (c: constraints.Cat) => new transforms.CatTransform(c.cseq.map((x) => transformTo(x)), c.dim, c.lengths));
bijectTo.register(constraints.stack, (c: constraints.Stack) => new transforms.StackTransform(c.cseq.map((x) => bijectTo(x)), c.dim));
transformTo.register(constraints.stack, (c: constraints.Stack) => new transforms.StackTransform(c.cseq.map((x) => transformTo(x)), c.dim));
