// Normalisation: batch, instance, layer, group, local response, and F.normalize.
import { Tensor, TorchError, aten } from './torch';
import { Rest, parse } from './args';
import { pad } from './vision';
import { avgPool2d, avgPool3d } from './pooling';

const op = {
  batchNorm: aten('batch_norm'),
  instanceNorm: aten('instance_norm'),
  layerNorm: aten('layer_norm'),
  groupNorm: aten('group_norm'),
};
// PyTorch passes torch.backends.cudnn.enabled, True by default
const CUDNN = true;

function verifyBatchSize(size: number[]): void {
  let prod = size[0];
  for (let i = 2; i < size.length; i++) prod *= size[i];
  if (prod === 1) throw new TorchError(`Expected more than 1 value per channel when training, got input size ${JSON.stringify(size)}`);
}

export type BatchNormOptions = { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; momentum?: number; eps?: number };
const BATCH_NORM = ['weight', 'bias', 'training', 'momentum', 'eps'] as const;

/** F.batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5) */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, ...rest: Rest<BatchNormOptions, typeof BATCH_NORM>): Tensor {
  const o = parse<BatchNormOptions>('batchNorm', rest, BATCH_NORM);
  const training = o.training ?? false;
  if (training) verifyBatchSize(input.shape);
  return op.batchNorm([input, o.weight ?? null, o.bias ?? null, runningMean, runningVar, training, o.momentum ?? 0.1, o.eps ?? 1e-5, CUDNN]) as Tensor;
}

export type InstanceNormOptions = {
  runningMean?: Tensor | null; runningVar?: Tensor | null; weight?: Tensor | null; bias?: Tensor | null;
  useInputStats?: boolean; momentum?: number; eps?: number;
};
const INSTANCE_NORM = ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps'] as const;

/** F.instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-5) */
export function instanceNorm(input: Tensor, ...rest: Rest<InstanceNormOptions, typeof INSTANCE_NORM>): Tensor {
  const o = parse<InstanceNormOptions>('instanceNorm', rest, INSTANCE_NORM);
  const useInputStats = o.useInputStats ?? true;
  if (useInputStats) {
    const size = input.shape;
    if (size.slice(2).reduce((p, s) => p * s, 1) === 1) {
      throw new TorchError(`Expected more than 1 spatial element when training, got input size ${JSON.stringify(size)}`);
    }
  }
  return op.instanceNorm([input, o.weight ?? null, o.bias ?? null, o.runningMean ?? null, o.runningVar ?? null,
    useInputStats, o.momentum ?? 0.1, o.eps ?? 1e-5, CUDNN]) as Tensor;
}

export type LayerNormOptions = { weight?: Tensor | null; bias?: Tensor | null; eps?: number };
const LAYER_NORM = ['weight', 'bias', 'eps'] as const;

/** F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5) */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], ...rest: Rest<LayerNormOptions, typeof LAYER_NORM>): Tensor {
  const o = parse<LayerNormOptions>('layerNorm', rest, LAYER_NORM);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  return op.layerNorm([input, shape, o.weight ?? null, o.bias ?? null, o.eps ?? 1e-5, CUDNN]) as Tensor;
}

/** F.group_norm(input, num_groups, weight=None, bias=None, eps=1e-5) */
export function groupNorm(input: Tensor, numGroups: number, ...rest: Rest<LayerNormOptions, typeof LAYER_NORM>): Tensor {
  const o = parse<LayerNormOptions>('groupNorm', rest, LAYER_NORM);
  const size = input.shape;
  verifyBatchSize([Math.floor((size[0] * size[1]) / numGroups), numGroups, ...size.slice(2)]);
  return op.groupNorm([input, numGroups, o.weight ?? null, o.bias ?? null, o.eps ?? 1e-5, CUDNN]) as Tensor;
}

type LrnOptions = { alpha?: number; beta?: number; k?: number };
const LRN = ['alpha', 'beta', 'k'] as const;

/** F.local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1): normalised over neighbouring channels */
export function localResponseNorm(input: Tensor, size: number, ...rest: Rest<LrnOptions, typeof LRN>): Tensor {
  const { alpha = 1e-4, beta = 0.75, k = 1.0 } = parse<LrnOptions>('localResponseNorm', rest, LRN);
  const dim = input.dim();
  if (dim < 3) throw new TorchError(`Expected 3D or higher dimensionality input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  let div = input.mul(input).unsqueeze(1);
  const before = Math.floor(size / 2);
  const after = Math.floor((size - 1) / 2);
  if (dim === 3) {
    div = pad(div, [0, 0, before, after]);
    div = avgPool2d(div, [size, 1], { stride: 1 }).squeeze(1);
  } else {
    const sizes = input.shape;
    div = div.view(sizes[0], 1, sizes[1], sizes[2], -1);
    div = pad(div, [0, 0, 0, 0, before, after]);
    div = avgPool3d(div, [size, 1, 1], { stride: 1 }).squeeze(1);
    div = div.view(sizes);
  }
  div = div.mul(alpha).add(k).pow(beta);
  return input.div(div);
}

type NormalizeOptions = { p?: number; dim?: number; eps?: number };
const NORMALIZE = ['p', 'dim', 'eps'] as const;

/** F.normalize(input, p=2, dim=1, eps=1e-12): input / max(||input||_p, eps) along dim */
export function normalize(input: Tensor, ...rest: Rest<NormalizeOptions, typeof NORMALIZE>): Tensor {
  const { p = 2, dim = 1, eps = 1e-12 } = parse<NormalizeOptions>('normalize', rest, NORMALIZE);
  const denom = input.norm(p, dim, true).clampMin(eps).expandAs(input);
  return input.div(denom);
}
