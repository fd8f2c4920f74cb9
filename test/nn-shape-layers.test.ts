// Shape layers against PyTorch: padding, flatten/unflatten, upsampling, pixel and channel shuffles,
// fold/unfold — repr, forward and input gradients.
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';
import { errorTable } from './helpers/error-oracle';

layerTable('nn shape layers', [
  { label: 'ConstantPad1d(2, 3.5)', py: 'nn.ConstantPad1d(2, 3.5)', js: () => new nn.ConstantPad1d(2, 3.5), inputs: [[2, 3, 4]] },
  { label: 'ConstantPad1d((1, 3), -1)', py: 'nn.ConstantPad1d((1, 3), -1)', js: () => new nn.ConstantPad1d([1, 3], -1), inputs: [[3, 4]] },
  { label: 'ConstantPad2d((1, 0, 2, 1), 0.25)', py: 'nn.ConstantPad2d((1, 0, 2, 1), 0.25)', js: () => new nn.ConstantPad2d([1, 0, 2, 1], 0.25), inputs: [[1, 2, 3, 3]] },
  { label: 'ConstantPad3d(1, 2.5)', py: 'nn.ConstantPad3d(1, 2.5)', js: () => new nn.ConstantPad3d(1, 2.5), inputs: [[1, 1, 2, 2, 2]] },
  { label: 'ZeroPad2d(2)', py: 'nn.ZeroPad2d(2)', js: () => new nn.ZeroPad2d(2), inputs: [[1, 2, 3, 3]] },
  { label: 'ZeroPad2d((1, 1, 2, 0))', py: 'nn.ZeroPad2d((1, 1, 2, 0))', js: () => new nn.ZeroPad2d([1, 1, 2, 0]), inputs: [[2, 3, 4]] },
  { label: 'ReflectionPad1d(2)', py: 'nn.ReflectionPad1d(2)', js: () => new nn.ReflectionPad1d(2), inputs: [[1, 2, 5]] },
  { label: 'ReflectionPad2d((1, 2, 2, 0))', py: 'nn.ReflectionPad2d((1, 2, 2, 0))', js: () => new nn.ReflectionPad2d([1, 2, 2, 0]), inputs: [[1, 2, 4, 4]] },
  { label: 'ReflectionPad3d(1)', py: 'nn.ReflectionPad3d(1)', js: () => new nn.ReflectionPad3d(1), inputs: [[1, 1, 3, 3, 3]] },
  { label: 'ReplicationPad1d((3, 1))', py: 'nn.ReplicationPad1d((3, 1))', js: () => new nn.ReplicationPad1d([3, 1]), inputs: [[2, 2, 4]] },
  { label: 'ReplicationPad2d(2)', py: 'nn.ReplicationPad2d(2)', js: () => new nn.ReplicationPad2d(2), inputs: [[1, 2, 3, 3]] },
  { label: 'ReplicationPad3d((1, 0, 2, 1, 0, 1))', py: 'nn.ReplicationPad3d((1, 0, 2, 1, 0, 1))', js: () => new nn.ReplicationPad3d([1, 0, 2, 1, 0, 1]), inputs: [[1, 1, 2, 3, 2]] },
  { label: 'Flatten()', py: 'nn.Flatten()', js: () => new nn.Flatten(), inputs: [[2, 3, 4, 2]] },
  { label: 'Flatten(0, 2)', py: 'nn.Flatten(0, 2)', js: () => new nn.Flatten(0, 2), inputs: [[2, 3, 4, 2]] },
  { label: 'Flatten(start_dim=2)', py: 'nn.Flatten(start_dim=2)', js: () => new nn.Flatten({ startDim: 2 }), inputs: [[2, 3, 4, 2]] },
  { label: 'Unflatten(1, (2, 3))', py: 'nn.Unflatten(1, (2, 3))', js: () => new nn.Unflatten(1, [2, 3]), inputs: [[4, 6, 2]] },
  { label: 'Unflatten(-1, (2, -1))', py: 'nn.Unflatten(-1, (2, -1))', js: () => new nn.Unflatten(-1, [2, -1]), inputs: [[3, 8]] },
  { label: 'Upsample(scale_factor=2)', py: 'nn.Upsample(scale_factor=2)', js: () => new nn.Upsample({ scaleFactor: 2 }), inputs: [[1, 2, 3, 3]] },
  { label: "Upsample(size=(5, 7), mode='bilinear')", py: "nn.Upsample(size=(5, 7), mode='bilinear')", js: () => new nn.Upsample({ size: [5, 7], mode: 'bilinear' }), inputs: [[1, 2, 3, 4]] },
  {
    label: "Upsample(scale_factor=(2, 1.5), mode='bilinear', align_corners=True)",
    py: "nn.Upsample(scale_factor=(2, 1.5), mode='bilinear', align_corners=True)",
    js: () => new nn.Upsample({ scaleFactor: [2, 1.5], mode: 'bilinear', alignCorners: true }),
    inputs: [[1, 1, 4, 4]],
  },
  { label: "Upsample(8, None, 'linear') positional", py: "nn.Upsample(8, None, 'linear')", js: () => new nn.Upsample(8, null, 'linear'), inputs: [[2, 2, 5]] },
  { label: "Upsample(scale_factor=2, mode='trilinear')", py: "nn.Upsample(scale_factor=2, mode='trilinear')", js: () => new nn.Upsample({ scaleFactor: 2, mode: 'trilinear' }), inputs: [[1, 1, 2, 3, 2]] },
  {
    label: "Upsample(scale_factor=1.7, mode='bicubic', recompute_scale_factor=True)",
    py: "nn.Upsample(scale_factor=1.7, mode='bicubic', recompute_scale_factor=True)",
    js: () => new nn.Upsample({ scaleFactor: 1.7, mode: 'bicubic', recomputeScaleFactor: true }),
    inputs: [[1, 2, 4, 5]],
  },
  { label: "Upsample(scale_factor=0.5, mode='area')", py: "nn.Upsample(scale_factor=0.5, mode='area')", js: () => new nn.Upsample({ scaleFactor: 0.5, mode: 'area' }), inputs: [[1, 2, 6, 4]] },
  { label: "Upsample(size=(4, 6), mode='nearest-exact')", py: "nn.Upsample(size=(4, 6), mode='nearest-exact')", js: () => new nn.Upsample({ size: [4, 6], mode: 'nearest-exact' }), inputs: [[1, 2, 3, 4]] },
  { label: 'UpsamplingNearest2d(scale_factor=3)', py: 'nn.UpsamplingNearest2d(scale_factor=3)', js: () => new nn.UpsamplingNearest2d({ scaleFactor: 3 }), inputs: [[1, 2, 2, 3]] },
  { label: 'UpsamplingBilinear2d(size=(5, 6))', py: 'nn.UpsamplingBilinear2d(size=(5, 6))', js: () => new nn.UpsamplingBilinear2d({ size: [5, 6] }), inputs: [[1, 2, 3, 4]] },
  { label: 'PixelShuffle(2)', py: 'nn.PixelShuffle(2)', js: () => new nn.PixelShuffle(2), inputs: [[1, 8, 3, 3]] },
  { label: 'PixelUnshuffle(2)', py: 'nn.PixelUnshuffle(2)', js: () => new nn.PixelUnshuffle(2), inputs: [[1, 2, 4, 6]] },
  {
    // PyTorch 1.13 has no derivative for channel_shuffle: forward only
    label: 'ChannelShuffle(2)',
    py: 'nn.ChannelShuffle(2)',
    js: () => new nn.ChannelShuffle(2),
    inputs: [[1, 6, 2, 2]],
    pyForward: 'm(xs[0].detach())',
    jsForward: (m, xs) => (m as nn.ChannelShuffle)(xs[0].detach()),
  },
  { label: 'Unfold(kernel_size=(2, 3))', py: 'nn.Unfold(kernel_size=(2, 3))', js: () => new nn.Unfold([2, 3]), inputs: [[2, 3, 5, 6]] },
  {
    label: 'Unfold(2, dilation=2, padding=1, stride=(2, 1))',
    py: 'nn.Unfold(2, dilation=2, padding=1, stride=(2, 1))',
    js: () => new nn.Unfold(2, { dilation: 2, padding: 1, stride: [2, 1] }),
    inputs: [[1, 2, 5, 5]],
  },
  { label: 'Fold(output_size=(4, 5), kernel_size=(2, 2))', py: 'nn.Fold(output_size=(4, 5), kernel_size=(2, 2))', js: () => new nn.Fold([4, 5], [2, 2]), inputs: [[1, 12, 12]] },
  { label: 'Fold((5, 5), 3, 1, 1, 2) positional', py: 'nn.Fold((5, 5), 3, 1, 1, 2)', js: () => new nn.Fold([5, 5], 3, 1, 1, 2), inputs: [[2, 18, 9]] },
]);

describe('shape layer errors raise PyTorch\'s messages', () => {
  const cases: [string, () => unknown][] = [
    ['nn.ReflectionPad1d(4)(torch.rand(1, 2, 3))', () => new nn.ReflectionPad1d(4)(torch.rand([1, 2, 3]))],
    ['nn.PixelShuffle(2)(torch.rand(1, 3, 2, 2))', () => new nn.PixelShuffle(2)(torch.rand([1, 3, 2, 2]))],
    ['nn.Unflatten(1, (2, 2))(torch.rand(2, 6))', () => new nn.Unflatten(1, [2, 2])(torch.rand([2, 6]))],
    ["nn.Upsample(scale_factor=2, mode='bilinear')(torch.rand(1, 2, 3))", () => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' })(torch.rand([1, 2, 3]))],
    ['nn.Unflatten(1, 6)', () => new nn.Unflatten(1, 6 as unknown as number[])],
  ];
  errorTable(cases, { firstLine: true });
});
