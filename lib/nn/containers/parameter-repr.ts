// One line per entry in ParameterList/ParameterDict reprs, as PyTorch prints them.
import { Tensor } from '../../tensor/tensor';
import { Parameter } from '../parameter';

export function parameterLine(p: Tensor, typeText: string): string {
  const kind = p instanceof Parameter ? 'Parameter' : 'Tensor';
  const device = p.device.type === 'cuda' ? ` (GPU ${p.device.index ?? 0})` : '';
  return `${kind} containing: [${typeText} of size ${p.shape.join('x')}${device}]`;
}

const LEGACY_NAMES: Record<string, string> = {
  float32: 'FloatTensor',
  float64: 'DoubleTensor',
  float16: 'HalfTensor',
  bfloat16: 'BFloat16Tensor',
  int64: 'LongTensor',
  int32: 'IntTensor',
  int16: 'ShortTensor',
  int8: 'CharTensor',
  uint8: 'ByteTensor',
  bool: 'BoolTensor',
};

/** torch.typename(t): 'torch.FloatTensor', 'torch.cuda.FloatTensor', ... */
export function legacyTypeName(t: Tensor): string {
  const base = LEGACY_NAMES[t.dtype.name] ?? `${t.dtype.name}Tensor`;
  return t.device.type === 'cuda' ? `torch.cuda.${base}` : `torch.${base}`;
}
