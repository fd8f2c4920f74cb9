// What Cauchy, Laplace and Normal share. Python writes the same loc/scale parameters into each class
// (broadcast together; a scalar batch shape when both are numbers), the same arg_constraints,
// support, has_rsample, mode and expand; here one mixin holds them over each class's own base
// (Normal stays an ExponentialFamily), and each class keeps only what is its own.
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { broadcastAll, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface LocScaleArgs {
  loc: TensorLike;
  scale: TensorLike;
  validateArgs?: boolean | null;
}
/** (loc, scale, validateArgs = null), any of them by name */
export const LOC_SCALE = signature<LocScaleArgs>()(['loc', 'scale'], ['validateArgs']);

/** What the mixin adds to the base's instances. */
export interface LocationScaleParams {
  loc: Tensor;
  scale: Tensor;
  expand(batchShape: Size): this;
}

export function locationScale<B extends abstract new (...args: any[]) => Distribution>(Base: B) {
  abstract class LocationScale extends Base {
    loc!: Tensor;
    scale!: Tensor;

    constructor(...args: any[]) {
      super();
      const a = LOC_SCALE.bind(new.target.name, args as ArgsOf<typeof LOC_SCALE>);
      [this.loc, this.scale] = broadcastAll(a.loc, a.scale);
      const scalar = typeof a.loc === 'number' && typeof a.scale === 'number';
      this.init(scalar ? [] : this.loc.shape, [], a.validateArgs);
    }

    get argConstraints() {
      return { loc: constraints.real, scale: constraints.positive };
    }
    get support(): constraints.Constraint {
      return constraints.real;
    }
    get hasRsample(): boolean {
      return true;
    }
    get mode(): Tensor {
      return this.loc;
    }

    expand(batchShape: Size): this {
      const n = this._newInstance();
      n.loc = this.loc.expand(batchShape);
      n.scale = this.scale.expand(batchShape);
      return n._finishExpand(batchShape, [], this);
    }
  }
  // its constructor takes LOC_SCALE's arguments; the base's statics stay
  return LocationScale as unknown as (abstract new (...args: ArgsOf<typeof LOC_SCALE>) => LocationScaleParams & InstanceType<B>) & Omit<B, 'prototype'>;
}
