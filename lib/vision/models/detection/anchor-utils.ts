// torchvision.models.detection.anchor_utils.AnchorGenerator: per feature map, cell anchors (one per
// size and aspect ratio, centred on 0, rounded) shifted to every grid position by the map's stride.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { DType } from '../../../tensor/dtype';
import { Module } from '../../../nn/module';
import { AssertionError } from '../../../errors';
import { ArgsOf, signature } from '../../../keywords';
import { ImageList } from './image-list';

type Sizes = readonly number[] | readonly (readonly number[])[];

export interface AnchorGeneratorArgs {
  /** per feature map, the anchor sizes (sqrt of area); a flat list is one size per map. Default ((128, 256, 512),) */
  sizes?: Sizes;
  /** per feature map, the aspect ratios (height / width); a flat list is used for every map. Default ((0.5, 1.0, 2.0),) */
  aspectRatios?: Sizes;
}
const ANCHOR_GENERATOR = signature<AnchorGeneratorArgs>()([], ['sizes', 'aspectRatios']);

export class AnchorGenerator extends Module {
  readonly sizes: number[][];
  readonly aspectRatios: number[][];
  cellAnchors: Tensor[];

  constructor(...args: ArgsOf<typeof ANCHOR_GENERATOR>) {
    super();
    const o = ANCHOR_GENERATOR.bind('AnchorGenerator', args);
    const sizes = o.sizes ?? [[128, 256, 512]];
    const ratios = o.aspectRatios ?? [[0.5, 1.0, 2.0]];
    this.sizes = Array.isArray(sizes[0]) ? (sizes as number[][]).map((s) => [...s]) : (sizes as number[]).map((s) => [s]);
    this.aspectRatios = Array.isArray(ratios[0]) ? (ratios as number[][]).map((r) => [...r]) : this.sizes.map(() => [...(ratios as number[])]);
    this.cellAnchors = this.pairs().map(([s, r]) => this.generateAnchors(s, r));
  }

  /** [len(ratios) * len(scales), 4] anchors (x1, y1, x2, y2) centred on 0, rounded. */
  generateAnchors(scales: readonly number[], aspectRatios: readonly number[], dtype: DType = torch.float32, device: torch.DeviceLike = 'cpu'): Tensor {
    const s = torch.asTensor([...scales], { dtype, device });
    const r = torch.asTensor([...aspectRatios], { dtype, device });
    const hRatios = torch.sqrt(r);
    const wRatios = hRatios.reciprocal();
    const ws = wRatios.index(':', null).mul(s.index(null, ':')).view(-1);
    const hs = hRatios.index(':', null).mul(s.index(null, ':')).view(-1);
    return torch.stack([ws.neg(), hs.neg(), ws, hs], 1).div(2).round();
  }

  setCellAnchors(dtype: DType, device: torch.DeviceLike): void {
    this.cellAnchors = this.cellAnchors.map((a) => a.to({ dtype, device }));
  }

  /** Python's zip(sizes, aspect_ratios): as many levels as the shorter has */
  private pairs(): [number[], number[]][] {
    const n = Math.min(this.sizes.length, this.aspectRatios.length);
    return this.sizes.slice(0, n).map((s, i) => [s, this.aspectRatios[i]]);
  }

  numAnchorsPerLocation(): number[] {
    return this.pairs().map(([s, r]) => s.length * r.length);
  }

  /** Per feature map: the cell anchors at every grid position, [H * W * A, 4]. */
  gridAnchors(gridSizes: readonly (readonly number[])[], strides: readonly (readonly Tensor[])[]): Tensor[] {
    if (!(gridSizes.length === strides.length && strides.length === this.cellAnchors.length)) {
      throw new AssertionError(
        'Anchors should be Tuple[Tuple[int]] because each feature map could potentially have different sizes and aspect ratios. ' +
          'There needs to be a match between the number of feature maps passed and the number of sizes / aspect ratios specified.',
      );
    }
    return gridSizes.map(([gridHeight, gridWidth], i) => {
      const [strideHeight, strideWidth] = strides[i];
      const base = this.cellAnchors[i];
      const device = base.device;
      const shiftsX = torch.arange(0, gridWidth, { dtype: torch.int32, device }).mul(strideWidth);
      const shiftsY = torch.arange(0, gridHeight, { dtype: torch.int32, device }).mul(strideHeight);
      let [shiftY, shiftX] = torch.meshgrid([shiftsY, shiftsX], { indexing: 'ij' });
      shiftX = shiftX.reshape(-1);
      shiftY = shiftY.reshape(-1);
      const shifts = torch.stack([shiftX, shiftY, shiftX, shiftY], 1);
      return shifts.view(-1, 1, 4).add(base.view(1, -1, 4)).reshape(-1, 4);
    });
  }

  /** One [sum over maps of H * W * A, 4] anchor tensor per image. */
  forward(imageList: ImageList, featureMaps: readonly Tensor[]): Tensor[] {
    const gridSizes = featureMaps.map((f) => f.shape.slice(-2));
    const imageSize = imageList.tensors.shape.slice(-2);
    const { dtype, device } = featureMaps[0];
    const strides = gridSizes.map((g) => [
      torch.empty([], { dtype: torch.int64, device }).fill_(Math.floor(imageSize[0] / g[0])),
      torch.empty([], { dtype: torch.int64, device }).fill_(Math.floor(imageSize[1] / g[1])),
    ]);
    this.setCellAnchors(dtype, device);
    const all = this.gridAnchors(gridSizes, strides);
    return imageList.imageSizes.map(() => torch.cat(all, 0));
  }
}
