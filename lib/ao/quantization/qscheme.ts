// torch.qscheme values (torch.per_tensor_affine, ...): how a quantized tensor maps its integers to
// reals. Codes are c10::QScheme's, as libtorch's qscheme() returns them.
import { TorchError } from '../../errors';
import { TorchConstant } from '../../tensor/torch-constant';

/** torch.qscheme (c10::QScheme codes) */
export class QScheme extends TorchConstant {}

export const perTensorAffine = new QScheme('per_tensor_affine', 0);
export const perChannelAffine = new QScheme('per_channel_affine', 1);
export const perTensorSymmetric = new QScheme('per_tensor_symmetric', 2);
export const perChannelSymmetric = new QScheme('per_channel_symmetric', 3);
export const perChannelAffineFloatQparams = new QScheme('per_channel_affine_float_qparams', 4);

const ALL = [perTensorAffine, perChannelAffine, perTensorSymmetric, perChannelSymmetric, perChannelAffineFloatQparams];

export function qschemeFromCode(code: number): QScheme {
  const q = ALL[code];
  if (!q) throw new TorchError(`unknown qscheme code ${code}`);
  return q;
}

/** By Python's name (per_tensor_affine), as torch.save files name them. */
export function qschemeByName(name: string): QScheme | undefined {
  return ALL.find((q) => q.name === name);
}
