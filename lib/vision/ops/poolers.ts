// torchvision.ops.MultiScaleRoIAlign (poolers.py): RoIAlign over the level of a feature pyramid
// each box belongs to, by the FPN paper's eq. 1 (LevelMapper); the levels' scales are inferred from
// the feature shapes against the largest image size on the first call and then kept, as there.
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { ArgsOf, signature } from '../../keywords';
import { boxArea } from './boxes';
import { roiAlign } from './roi-align';

/** Which pyramid level (0-based from kMin) each box is pooled from: floor(lvl0 + log2(sqrt(area) / s0) + eps), clamped. */
export class LevelMapper {
  constructor(
    readonly kMin: number,
    readonly kMax: number,
    readonly canonicalScale = 224,
    readonly canonicalLevel = 4,
    readonly eps = 1e-6,
  ) {}

  call(boxlists: readonly Tensor[]): Tensor {
    const s = torch.cat(boxlists.map((b) => boxArea(b)), 0).sqrt();
    const target = torch.floor(s.div(this.canonicalScale).log2().add(this.canonicalLevel).add(torch.tensor(this.eps, { dtype: s.dtype })));
    return target.clamp(this.kMin, this.kMax).to(torch.int64).sub(this.kMin).to(torch.int64);
  }
}

/** torchvision's _infer_scale: the power of two nearest the feature/image size ratio (in float32, as there). */
function inferScale(feature: Tensor, originalSize: [number, number]): number {
  const approx = feature.size(-2) / originalSize[0];
  return 2 ** (torch.tensor(approx, { dtype: torch.float32 }).log2().round().item() as number);
}

/** torchvision's _setup_scales: each level's scale and the LevelMapper between the first and last level. */
export function setupScales(features: readonly Tensor[], imageShapes: readonly (readonly number[])[], canonicalScale: number, canonicalLevel: number): [number[], LevelMapper] {
  if (!imageShapes.length) throw new ValueError('images list should not be empty');
  let maxX = 0, maxY = 0;
  for (const shape of imageShapes) {
    maxX = Math.max(shape[0], maxX);
    maxY = Math.max(shape[1], maxY);
  }
  const scales = features.map((f) => inferScale(f, [maxX, maxY]));
  const lvl = (scale: number) => -(torch.tensor(scale, { dtype: torch.float32 }).log2().item() as number);
  return [scales, new LevelMapper(Math.trunc(lvl(scales[0])), Math.trunc(lvl(scales[scales.length - 1])), canonicalScale, canonicalLevel)];
}

/** boxes per image -> [K, 5] rois (batch index, x1, y1, x2, y2): torchvision's _convert_to_roi_format */
function roisOf(boxes: readonly Tensor[]): Tensor {
  const concat = torch.cat([...boxes], 0);
  const ids = torch.cat(boxes.map((b, i) => torch.fullLike(b.index(':', ':1'), i, { dtype: concat.dtype })), 0);
  return torch.cat([ids, concat], 1);
}

export interface MultiScaleRoIAlignArgs {
  featmapNames: readonly string[];
  outputSize: number | readonly number[];
  samplingRatio: number;
  /** keyword-only: the box size pooled from canonicalLevel (224) */
  canonicalScale?: number;
  /** keyword-only: default 4 */
  canonicalLevel?: number;
}
const MULTI_SCALE_ROI_ALIGN = signature<MultiScaleRoIAlignArgs>()(['featmapNames', 'outputSize', 'samplingRatio'], [], ['canonicalScale', 'canonicalLevel']);

/** MultiScaleRoIAlign(featmap_names, output_size, sampling_ratio, *, canonical_scale=224, canonical_level=4) */
export class MultiScaleRoIAlign extends Module {
  readonly featmapNames: readonly string[];
  readonly samplingRatio: number;
  readonly outputSize: [number, number];
  readonly canonicalScale: number;
  readonly canonicalLevel: number;
  /** inferred on the first forward and kept, as torchvision does */
  scales: number[] | null = null;
  mapLevels: LevelMapper | null = null;

  constructor(...args: ArgsOf<typeof MULTI_SCALE_ROI_ALIGN>) {
    super();
    const { featmapNames, outputSize, samplingRatio, canonicalScale = 224, canonicalLevel = 4 } = MULTI_SCALE_ROI_ALIGN.bind('MultiScaleRoIAlign', args);
    this.featmapNames = [...featmapNames];
    this.samplingRatio = samplingRatio;
    this.outputSize = typeof outputSize === 'number' ? [outputSize, outputSize] : [outputSize[0], outputSize[1]];
    this.canonicalScale = canonicalScale;
    this.canonicalLevel = canonicalLevel;
  }

  /** x: the feature maps by name; boxes: [N, 4] per image, in image coordinates; imageShapes: each image's [height, width] before the backbone */
  forward(x: Record<string, Tensor>, boxes: readonly Tensor[], imageShapes: readonly (readonly number[])[]): Tensor {
    const filtered = Object.entries(x).filter(([k]) => this.featmapNames.includes(k)).map(([, v]) => v);
    if (this.scales === null || this.mapLevels === null) [this.scales, this.mapLevels] = setupScales(filtered, imageShapes, this.canonicalScale, this.canonicalLevel);
    const rois = roisOf(boxes);
    const [scales, mapper, size, ratio] = [this.scales, this.mapLevels, this.outputSize, this.samplingRatio];
    if (filtered.length === 1) return roiAlign(filtered[0], rois, { outputSize: size, spatialScale: scales[0], samplingRatio: ratio });
    const levels = mapper.call(boxes);
    const first = filtered[0];
    let result = torch.zeros([rois.size(0), first.size(1), ...size], { dtype: first.dtype, device: first.device });
    filtered.forEach((feature, level) => {
      const idx = torch.where(levels.eq(level))[0];
      let pooled = roiAlign(feature, rois.index(idx), { outputSize: size, spatialScale: scales[level], samplingRatio: ratio });
      // a level without boxes: torchvision's kernel still links the input to the graph (a zero gradient, not none)
      if (idx.numel() === 0 && feature.requiresGrad) pooled = pooled.add(feature.flatten().narrow(0, 0, 0).sum());
      result = result.indexPut([idx], pooled.to(result.dtype));
    });
    return result;
  }

  toString(): string {
    return `MultiScaleRoIAlign(featmap_names=[${this.featmapNames.map((n) => `'${n}'`).join(', ')}], output_size=(${this.outputSize.join(', ')}), sampling_ratio=${this.samplingRatio})`;
  }
}
