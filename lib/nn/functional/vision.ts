// Vision functions: F.pad, F.interpolate (and the deprecated upsample forms), pixel (un)shuffle,
// F.grid_sample and F.affine_grid.
import { Tensor, TorchError, aten } from './torch';
import { Rest, parse } from './args';
import { bind } from '../../keywords';
import { adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveAvgPool3d } from './pooling';
import { warn } from '../../errors';

const op = {
  pad: aten('pad'),
  pixelShuffle: aten('pixel_shuffle'),
  pixelUnshuffle: aten('pixel_unshuffle'),
  channelShuffle: aten('channel_shuffle'),
  gridSampler: aten('grid_sampler'),
  affineGridGenerator: aten('affine_grid_generator'),
};

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';
type PadOptions = { mode?: PadMode; value?: number | null };
const PAD = ['mode', 'value'] as const;

/** F.pad(input, pad, mode='constant', value=None): pad lists (left, right) pairs from the last dim backwards */
export function pad(input: Tensor, padding: readonly number[], ...rest: Rest<PadOptions, typeof PAD>): Tensor {
  const o = parse<PadOptions>('pad', rest, PAD);
  return op.pad([input, padding, o.mode ?? 'constant', o.value ?? null]) as Tensor;
}

export type InterpolateMode = 'nearest' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'area' | 'nearest-exact';
export type InterpolateOptions = {
  size?: number | readonly number[] | null; scaleFactor?: number | readonly number[] | null; mode?: InterpolateMode;
  alignCorners?: boolean | null; recomputeScaleFactor?: boolean | null; antialias?: boolean;
};
const INTERPOLATE = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor', 'antialias'] as const;

const upsample1 = (name: string) => aten(name, 'vec');
const resize = {
  nearest: { 3: upsample1('upsample_nearest1d'), 4: upsample1('upsample_nearest2d'), 5: upsample1('upsample_nearest3d') },
  'nearest-exact': { 3: upsample1('_upsample_nearest_exact1d'), 4: upsample1('_upsample_nearest_exact2d'), 5: upsample1('_upsample_nearest_exact3d') },
  linear: { 3: upsample1('upsample_linear1d') },
  bilinear: { 4: upsample1('upsample_bilinear2d') },
  bilinearAa: { 4: upsample1('_upsample_bilinear2d_aa') },
  trilinear: { 5: upsample1('upsample_trilinear3d') },
  bicubic: { 4: upsample1('upsample_bicubic2d') },
  bicubicAa: { 4: upsample1('_upsample_bicubic2d_aa') },
} as Record<string, Record<number, ReturnType<typeof aten>>>;
const NEEDS: Record<string, number> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

/** F.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False) */
export function interpolate(input: Tensor, ...rest: Rest<InterpolateOptions, typeof INTERPOLATE>): Tensor {
  const o = parse<InterpolateOptions>('interpolate', rest, INTERPOLATE);
  const mode = o.mode ?? 'nearest';
  let alignCorners = o.alignCorners ?? null;
  const size = o.size ?? null;
  const scaleFactor = o.scaleFactor ?? null;
  if (mode === 'nearest' || mode === 'area' || mode === 'nearest-exact') {
    if (alignCorners !== null) {
      throw new TorchError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
    }
  } else if (alignCorners === null) alignCorners = false;
  const dim = input.dim() - 2;
  const spatial = JSON.stringify(input.shape.slice(2));
  let outputSize: readonly number[] | null = null;
  let scaleFactors: readonly number[] | null = null;
  if (size !== null && scaleFactor !== null) throw new TorchError('only one of size or scale_factor should be defined');
  if (size !== null) {
    if (typeof size !== 'number' && size.length !== dim) {
      throw new TorchError(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and output size of ${JSON.stringify(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
    }
    outputSize = typeof size === 'number' ? new Array<number>(dim).fill(size) : size;
  } else if (scaleFactor !== null) {
    if (typeof scaleFactor !== 'number' && scaleFactor.length !== dim) {
      throw new TorchError(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and scale_factor of shape ${JSON.stringify(scaleFactor)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
    }
    scaleFactors = typeof scaleFactor === 'number' ? new Array<number>(dim).fill(scaleFactor) : scaleFactor;
  } else {
    throw new TorchError('either size or scale_factor should be defined');
  }
  let recompute = o.recomputeScaleFactor ?? null;
  if (recompute && size !== null) throw new TorchError('recompute_scale_factor is not meaningful with an explicit size.');
  if (mode === 'area' && outputSize === null) recompute = true;
  if (recompute) {
    const shape = input.shape;
    outputSize = scaleFactors!.map((s, i) => Math.floor(shape[i + 2] * s));
    scaleFactors = null;
  }
  if (o.antialias && !((mode === 'bilinear' || mode === 'bicubic') && input.dim() === 4)) {
    throw new TorchError('Anti-alias option is only supported for bilinear and bicubic modes');
  }
  const nd = input.dim();
  if (mode === 'area') {
    if (nd === 3) return adaptiveAvgPool1d(input, outputSize!);
    if (nd === 4) return adaptiveAvgPool2d(input, outputSize!);
    if (nd === 5) return adaptiveAvgPool3d(input, outputSize!);
  }
  const key = o.antialias ? `${mode}Aa` : mode;
  const f = resize[key]?.[nd];
  if (f) {
    const args = mode === 'nearest' || mode === 'nearest-exact' ? [input, outputSize, scaleFactors] : [input, outputSize, alignCorners, scaleFactors];
    return f(args) as Tensor;
  }
  if (NEEDS[mode] && nd >= 3 && nd <= 5) throw new TorchError(`Got ${nd}D input, but ${mode} mode needs ${NEEDS[mode]}D input`);
  throw new TorchError(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${nd}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
}

type UpsampleOptions = { size?: number | readonly number[] | null; scaleFactor?: number | readonly number[] | null; mode?: InterpolateMode; alignCorners?: boolean | null };
const UPSAMPLE = ['size', 'scaleFactor', 'mode', 'alignCorners'] as const;

/** F.upsample (deprecated): interpolate(input, size, scale_factor, mode, align_corners) */
export function upsample(input: Tensor, ...rest: Rest<UpsampleOptions, typeof UPSAMPLE>): Tensor {
  return interpolate(input, parse<UpsampleOptions>('upsample', rest, UPSAMPLE));
}
type SizeOrScale = { size?: number | readonly number[] | null; scaleFactor?: number | readonly number[] | null };
const SIZE_OR_SCALE = ['size', 'scaleFactor'] as const;
/** F.upsample_nearest (deprecated) */
export function upsampleNearest(input: Tensor, ...rest: Rest<SizeOrScale, typeof SIZE_OR_SCALE>): Tensor {
  return interpolate(input, { ...parse<SizeOrScale>('upsampleNearest', rest, SIZE_OR_SCALE), mode: 'nearest' });
}
/** F.upsample_bilinear (deprecated): bilinear with align_corners=True */
export function upsampleBilinear(input: Tensor, ...rest: Rest<SizeOrScale, typeof SIZE_OR_SCALE>): Tensor {
  return interpolate(input, { ...parse<SizeOrScale>('upsampleBilinear', rest, SIZE_OR_SCALE), mode: 'bilinear', alignCorners: true });
}

/** F.pixel_shuffle(input, upscale_factor) */
export const pixelShuffle = (input: Tensor, upscaleFactor: number): Tensor => op.pixelShuffle([input, upscaleFactor]) as Tensor;
/** F.pixel_unshuffle(input, downscale_factor) */
export const pixelUnshuffle = (input: Tensor, downscaleFactor: number): Tensor => op.pixelUnshuffle([input, downscaleFactor]) as Tensor;
/** F.channel_shuffle(input, groups) */
export const channelShuffle = (input: Tensor, groups: number): Tensor => op.channelShuffle([input, groups]) as Tensor;

const GRID_MODES = { bilinear: 0, nearest: 1, bicubic: 2 } as const;
const GRID_PADDING = { zeros: 0, border: 1, reflection: 2 } as const;
const ALIGN_WARNING = 'Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for details.';

type GridSampleOptions = { mode?: keyof typeof GRID_MODES; paddingMode?: keyof typeof GRID_PADDING; alignCorners?: boolean | null };
const GRID_SAMPLE = ['mode', 'paddingMode', 'alignCorners'] as const;

/** F.grid_sample(input, grid, mode='bilinear', padding_mode='zeros', align_corners=None) */
export function gridSample(input: Tensor, grid: Tensor, ...rest: Rest<GridSampleOptions, typeof GRID_SAMPLE>): Tensor {
  const o = parse<GridSampleOptions>('gridSample', rest, GRID_SAMPLE);
  const mode = o.mode ?? 'bilinear';
  const paddingMode = o.paddingMode ?? 'zeros';
  if (!(mode in GRID_MODES)) throw new TorchError(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${mode}'`);
  if (!(paddingMode in GRID_PADDING)) {
    throw new TorchError(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${paddingMode}'`);
  }
  let alignCorners = o.alignCorners ?? null;
  if (alignCorners === null) {
    warn(ALIGN_WARNING);
    alignCorners = false;
  }
  return op.gridSampler([input, grid, GRID_MODES[mode], GRID_PADDING[paddingMode], alignCorners]) as Tensor;
}

type AffineGridOptions = { alignCorners?: boolean | null };
const AFFINE_GRID = ['alignCorners'] as const;

/**
 * F.affine_grid(theta, size, align_corners=None): sampling grid of an affine transform; size and
 * alignCorners positionally or by keyword (affineGrid(theta, { size, alignCorners: false })).
 */
export function affineGrid(theta: Tensor, options: AffineGridOptions & { size: readonly number[] }): Tensor;
export function affineGrid(theta: Tensor, size: readonly number[], ...rest: Rest<AffineGridOptions, typeof AFFINE_GRID>): Tensor;
export function affineGrid(options: AffineGridOptions & { theta: Tensor; size: readonly number[] }): Tensor;
export function affineGrid(...args: unknown[]): Tensor {
  const bound = bind<AffineGridOptions & { theta: Tensor; size: readonly number[] }>('affineGrid', args, ['theta', 'size'], AFFINE_GRID);
  const { theta, size } = bound;
  let alignCorners = bound.alignCorners ?? null;
  if (alignCorners === null) {
    warn(ALIGN_WARNING);
    alignCorners = false;
  }
  if (!theta.isFloatingPoint()) throw new TorchError(`Expected theta to have floating point type, but got ${theta.dtype}`);
  const shape = JSON.stringify(theta.shape);
  let spatial: number[];
  if (size.length === 4) {
    if (theta.dim() !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
      throw new TorchError(`Expected a batch of 2D affine matrices of shape Nx2x3 for size ${JSON.stringify(size)}. Got ${shape}.`);
    }
    spatial = size.slice(-2);
  } else if (size.length === 5) {
    if (theta.dim() !== 3 || theta.shape[1] !== 3 || theta.shape[2] !== 4) {
      throw new TorchError(`Expected a batch of 3D affine matrices of shape Nx3x4 for size ${JSON.stringify(size)}. Got ${shape}.`);
    }
    spatial = size.slice(-3);
  } else {
    throw new TorchError(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${JSON.stringify(size)}.`);
  }
  if (alignCorners && Math.min(...spatial) === 1) {
    warn('Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners=True. This is not an intended use case of affine_grid. See the documentation of affine_grid for details.');
  } else if (Math.min(...size) <= 0) {
    throw new TorchError(`Expected non-zero, positive output size. Got ${JSON.stringify(size)}`);
  }
  return op.affineGridGenerator([theta, size, alignCorners]) as Tensor;
}
