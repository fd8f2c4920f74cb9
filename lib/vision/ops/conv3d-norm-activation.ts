// torchvision.ops.Conv3dNormActivation (misc.py): Conv3d, then a norm layer (BatchNorm3d by
// default) and an activation, as one Sequential; the 3-D sibling of ../models/ops'
// Conv2dNormActivation, with the same factories for norm and activation layers.
import * as nn from '../../nn';
import { ArgsOf, signature } from '../../keywords';
import { ActivationLayer, NormLayer, convNormActivation, relu } from '../models/ops';

type Size3 = number | number[];

export interface Conv3dNormActivationArgs {
  inChannels: number;
  outChannels: number;
  kernelSize?: Size3;
  stride?: Size3;
  /** default (kernelSize - 1) / 2 * dilation, per dimension */
  padding?: Size3 | null;
  groups?: number;
  normLayer?: NormLayer | null;
  activationLayer?: ActivationLayer | null;
  dilation?: Size3;
  /** null: the activation is built without an inplace argument */
  inplace?: boolean | null;
  /** default: no bias when there is a norm layer */
  bias?: boolean | null;
}
const CONV3D_NORM_ACTIVATION = signature<Conv3dNormActivationArgs>()(
  ['inChannels', 'outChannels'],
  ['kernelSize', 'stride', 'padding', 'groups', 'normLayer', 'activationLayer', 'dilation', 'inplace', 'bias'],
);

const batchNorm3d: NormLayer = (c) => new nn.BatchNorm3d(c);

/** torchvision's default padding: an int when kernel_size and dilation are, else one per dimension. */
function samePadding(kernelSize: Size3, dilation: Size3): Size3 {
  if (typeof kernelSize === 'number' && typeof dilation === 'number') return Math.floor((kernelSize - 1) / 2) * dilation;
  const dims = typeof kernelSize === 'number' ? (dilation as number[]).length : kernelSize.length;
  const each = (s: Size3, i: number) => (typeof s === 'number' ? s : s[i]);
  return Array.from({ length: dims }, (_, i) => Math.floor((each(kernelSize, i) - 1) / 2) * each(dilation, i));
}

export class Conv3dNormActivation extends nn.Sequential {
  readonly outChannels: number;

  constructor(...args: ArgsOf<typeof CONV3D_NORM_ACTIVATION>) {
    const o = CONV3D_NORM_ACTIVATION.bind('Conv3dNormActivation', args);
    const { inChannels, outChannels, kernelSize = 3, stride = 1, groups = 1, dilation = 1, inplace = true } = o;
    const normLayer = o.normLayer === undefined ? batchNorm3d : o.normLayer;
    const activationLayer = o.activationLayer === undefined ? relu : o.activationLayer;
    const padding = o.padding ?? samePadding(kernelSize, dilation);
    const conv = (bias: boolean) => new nn.Conv3d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias });
    super(...convNormActivation(conv, outChannels, normLayer, activationLayer, inplace, o.bias));
    this.outChannels = outChannels;
  }
}
