// nn.Upsample, nn.UpsamplingNearest2d, nn.UpsamplingBilinear2d (torch/nn/modules/upsampling.py):
// F.interpolate with the settings kept; scale factors are floats, as PyTorch stores (and prints) them.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Rest, parse } from '../functional/args';
import { interpolate, InterpolateMode } from '../functional/vision';
import { pyFloat, pyStr, pyTuple } from '../../py-format';

export type UpsampleOptions = {
  size?: number | number[] | null; scaleFactor?: number | number[] | null; mode?: InterpolateMode;
  alignCorners?: boolean | null; recomputeScaleFactor?: boolean | null;
};
const UPSAMPLE_ARGS = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'] as const;

export class Upsample extends Module {
  /** the class name, as PyTorch's Upsample.name */
  readonly name: string;
  readonly size: number | number[] | null;
  readonly scaleFactor: number | number[] | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean | null;

  /** Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None) */
  constructor(...rest: Rest<UpsampleOptions, typeof UPSAMPLE_ARGS>) {
    super();
    const o = parse<UpsampleOptions>(new.target.name, rest, UPSAMPLE_ARGS);
    this.name = new.target.name;
    this.size = o.size ?? null;
    // PyTorch: a tuple stays a tuple of floats; a zero/None factor becomes None
    this.scaleFactor = Array.isArray(o.scaleFactor) ? [...o.scaleFactor] : o.scaleFactor ? o.scaleFactor : null;
    this.mode = o.mode ?? 'nearest';
    this.alignCorners = o.alignCorners ?? null;
    this.recomputeScaleFactor = o.recomputeScaleFactor ?? null;
  }

  forward(input: Tensor): Tensor {
    return interpolate(input, this.size, this.scaleFactor, this.mode, this.alignCorners, { recomputeScaleFactor: this.recomputeScaleFactor });
  }

  extraRepr(): string {
    const sf = this.scaleFactor;
    const info =
      sf !== null
        ? `scale_factor=${Array.isArray(sf) ? pyTuple(sf, pyFloat) : pyFloat(sf)}`
        : `size=${pyStr(this.size)}`; // kept as given: a list prints as one
    return `${info}, mode=${this.mode}`;
  }
}

type SizeOrScale = { size?: number | number[] | null; scaleFactor?: number | number[] | null };
const SIZE_OR_SCALE = ['size', 'scaleFactor'] as const;

export class UpsamplingNearest2d extends Upsample {
  /** UpsamplingNearest2d(size=None, scale_factor=None) */
  constructor(...rest: Rest<SizeOrScale, typeof SIZE_OR_SCALE>) {
    super({ ...parse<SizeOrScale>('UpsamplingNearest2d', rest, SIZE_OR_SCALE), mode: 'nearest' });
  }
}

export class UpsamplingBilinear2d extends Upsample {
  /** UpsamplingBilinear2d(size=None, scale_factor=None): bilinear with align_corners=True */
  constructor(...rest: Rest<SizeOrScale, typeof SIZE_OR_SCALE>) {
    super({ ...parse<SizeOrScale>('UpsamplingBilinear2d', rest, SIZE_OR_SCALE), mode: 'bilinear', alignCorners: true });
  }
}
