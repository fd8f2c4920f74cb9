// torchvision.models.video.s3d: S3D (separable 3-D Inception) with torchvision's module names; its
// layers keep their default initialisation, in torchvision's construction order.
import { Tensor } from '../../../tensor/tensor';
import { cat } from '../../../tensor/functions';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { chain, release } from '../../../nn/intermediates';
import { ArgsOf, keysOf, signature } from '../../../keywords';
import { Conv3dNormActivation } from '../../ops/conv3d-norm-activation';
import { NormLayer } from '../ops';
import { VideoBuilderOptions, buildVideo } from './video-builder';

interface TemporalSeparableConvArgs {
  inPlanes: number;
  outPlanes: number;
  kernelSize: number;
  stride: number;
  padding: number;
  normLayer: NormLayer;
}
const TEMPORAL_SEPARABLE_CONV = signature<TemporalSeparableConvArgs>()(['inPlanes', 'outPlanes', 'kernelSize', 'stride', 'padding', 'normLayer'], []);

/** A kxk spatial Conv3dNormActivation, then a k temporal one. */
export class TemporalSeparableConv extends nn.Sequential {
  constructor(...args: ArgsOf<typeof TEMPORAL_SEPARABLE_CONV>) {
    const { inPlanes, outPlanes, kernelSize: k, stride: s, padding: p, normLayer } = TEMPORAL_SEPARABLE_CONV.bind('TemporalSeparableConv', args);
    super(
      new Conv3dNormActivation(inPlanes, outPlanes, { kernelSize: [1, k, k], stride: [1, s, s], padding: [0, p, p], bias: false, normLayer }),
      new Conv3dNormActivation(outPlanes, outPlanes, { kernelSize: [k, 1, 1], stride: [s, 1, 1], padding: [p, 0, 0], bias: false, normLayer }),
    );
  }
}

interface SepInceptionBlock3DArgs {
  inPlanes: number;
  b0Out: number;
  b1Mid: number;
  b1Out: number;
  b2Mid: number;
  b2Out: number;
  b3Out: number;
  normLayer: NormLayer;
}
const SEP_INCEPTION_BLOCK_3D = signature<SepInceptionBlock3DArgs>()(['inPlanes', 'b0Out', 'b1Mid', 'b1Out', 'b2Mid', 'b2Out', 'b3Out', 'normLayer'], []);

/** Four branches (1x1x1; 1x1x1 then separable 3x3x3, twice; 3x3x3 max pool then 1x1x1) concatenated on channels. */
export class SepInceptionBlock3D extends Module {
  branch0: Conv3dNormActivation;
  branch1: nn.Sequential;
  branch2: nn.Sequential;
  branch3: nn.Sequential;

  constructor(...args: ArgsOf<typeof SEP_INCEPTION_BLOCK_3D>) {
    super();
    const { inPlanes, b0Out, b1Mid, b1Out, b2Mid, b2Out, b3Out, normLayer } = SEP_INCEPTION_BLOCK_3D.bind('SepInceptionBlock3D', args);
    const pointwise = (inC: number, outC: number) => new Conv3dNormActivation(inC, outC, { kernelSize: 1, stride: 1, normLayer });
    this.branch0 = pointwise(inPlanes, b0Out);
    this.branch1 = new nn.Sequential(pointwise(inPlanes, b1Mid), new TemporalSeparableConv(b1Mid, b1Out, 3, 1, 1, normLayer));
    this.branch2 = new nn.Sequential(pointwise(inPlanes, b2Mid), new TemporalSeparableConv(b2Mid, b2Out, 3, 1, 1, normLayer));
    this.branch3 = new nn.Sequential(new nn.MaxPool3d([3, 3, 3], { stride: 1, padding: 1 }), pointwise(inPlanes, b3Out));
  }

  forward(x: Tensor): Tensor {
    const branches = [this.branch0, this.branch1, this.branch2, this.branch3].map((b) => b(x) as Tensor);
    const out = cat(branches, 1);
    for (const b of branches) release(b, x, out);
    return out;
  }
}

export interface S3DOptions {
  numClasses?: number;
  dropout?: number;
  /** default BatchNorm3d with eps 0.001 and momentum 0.001 */
  normLayer?: NormLayer | null;
}
const S3D_SIGNATURE = signature<S3DOptions>()([], ['numClasses', 'dropout', 'normLayer']);
const S3D_KEYS = keysOf<Omit<S3DOptions, 'numClasses'>>()('dropout', 'normLayer');

const s3dBatchNorm: NormLayer = (c) => new nn.BatchNorm3d(c, { eps: 0.001, momentum: 0.001 });

export class S3D extends Module {
  features: nn.Sequential;
  avgpool: nn.AvgPool3d;
  classifier: nn.Sequential;

  constructor(...args: ArgsOf<typeof S3D_SIGNATURE>) {
    super();
    const { numClasses = 400, dropout = 0.2, normLayer } = S3D_SIGNATURE.bind('S3D', args);
    const norm = normLayer ?? s3dBatchNorm;
    const block = (...c: [number, number, number, number, number, number, number]) => new SepInceptionBlock3D(...c, norm);
    const spatialPool = () => new nn.MaxPool3d([1, 3, 3], { stride: [1, 2, 2], padding: [0, 1, 1] });
    this.features = new nn.Sequential(
      new TemporalSeparableConv(3, 64, 7, 2, 3, norm),
      spatialPool(),
      new Conv3dNormActivation(64, 64, { kernelSize: 1, stride: 1, normLayer: norm }),
      new TemporalSeparableConv(64, 192, 3, 1, 1, norm),
      spatialPool(),
      block(192, 64, 96, 128, 16, 32, 32),
      block(256, 128, 128, 192, 32, 96, 64),
      new nn.MaxPool3d([3, 3, 3], { stride: [2, 2, 2], padding: [1, 1, 1] }),
      block(480, 192, 96, 208, 16, 48, 64),
      block(512, 160, 112, 224, 24, 64, 64),
      block(512, 128, 128, 256, 24, 64, 64),
      block(512, 112, 144, 288, 32, 64, 64),
      block(528, 256, 160, 320, 32, 128, 128),
      new nn.MaxPool3d([2, 2, 2], { stride: [2, 2, 2], padding: [0, 0, 0] }),
      block(832, 256, 160, 320, 32, 128, 128),
      block(832, 384, 192, 384, 48, 128, 128),
    );
    this.avgpool = new nn.AvgPool3d([2, 7, 7], { stride: 1 });
    this.classifier = new nn.Sequential(new nn.Dropout({ p: dropout }), new nn.Conv3d(1024, numClasses, 1, { stride: 1, bias: true }));
  }

  forward(x: Tensor): Tensor {
    const logits = chain(x, [this.features, this.avgpool, this.classifier]) as Tensor;
    const out = logits.mean([2, 3, 4]);
    release(logits, x, out);
    return out;
  }
}

export type S3DBuilderOptions = VideoBuilderOptions & Omit<S3DOptions, 'numClasses'>;

/** torchvision's s3d. */
export const s3d = (o: S3DBuilderOptions = {}): S3D => buildVideo('s3d', 'S3D_Weights', S3D_KEYS, o, (numClasses, rest) => new S3D({ ...rest, numClasses }));
