// torch.ao.nn.quantized's module classes (static, intrinsic, dynamic) by Python path, for whole-module
// torch.save / torch.load of converted models. Their packed weights: Python pickles a
// LinearPackedParamsBase / CellParamsBase as a torch.ScriptObject, which loading packs again for this
// process's engine; a quantized conv pickles a __getstate__ tuple (registerTupleState).
import * as quantized from '../../nn/quantized';
import { Tensor } from '../../tensor/tensor';
import { PackedParams, prepack, qop } from '../../nn/quantized/ops';
import { linearPackedObject, linearPackedState } from '../../nn/quantized/dynamic/script-object';
import { TorchError } from '../../errors';
import { CellParams } from '../../nn/quantized/dynamic/cell-params';
import { asTuple } from '../py-types';
import * as intrinsicQuantized from '../../nn/intrinsic/quantized';
import { registerAttributeConverter, registerPythonClass, registerTupleState } from './registry';

const Q = 'torch.ao.nn.quantized.modules';
registerPythonClass(`${Q}.linear.Linear`, quantized.Linear);
registerPythonClass(`${Q}.linear.LinearPackedParams`, quantized.LinearPackedParams);
registerPythonClass(`${Q}.Quantize`, quantized.Quantize);
registerPythonClass(`${Q}.DeQuantize`, quantized.DeQuantize);
registerPythonClass(`${Q}.functional_modules.QFunctional`, quantized.QFunctional);
registerPythonClass(`${Q}.functional_modules.FloatFunctional`, quantized.FloatFunctional);
registerPythonClass(`${Q}.dropout.Dropout`, quantized.Dropout);

registerAttributeConverter(`${Q}.linear.LinearPackedParams`, '_packed_params', {
  load: (value, where) => {
    const [weight, bias] = linearPackedState(value, where);
    return prepack('quantized::linear_prepack', weight, bias);
  },
  save: (value, where) => {
    if (!(value instanceof PackedParams)) throw new TorchError(`cannot save ${where}: it is not a packed linear weight`);
    const [weight, bias] = qop<[Tensor, Tensor | null]>('quantized::linear_unpack', value);
    return linearPackedObject(weight, bias);
  },
});

/** A quantized conv as its Python __getstate__ / __setstate__ see it. */
interface QConv {
  inChannels: number;
  outChannels: number;
  kernelSize: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  transposed: boolean;
  outputPadding: number[];
  groups: number;
  paddingMode: string;
  scale: number;
  zeroPoint: number;
  training: boolean;
  dims: number;
  _weightBias(): [Tensor, Tensor | null];
  setWeightBias(w: Tensor, b: Tensor | null): void;
  _rawTarget(): Record<string, unknown>;
}

// __getstate__'s order: the fields up to padding_mode, then weight, bias, scale, zero_point, training
const CONV_FIELDS = ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'transposed', 'outputPadding', 'groups', 'paddingMode'] as const;
const SCALE_AT = CONV_FIELDS.length + 2;

const CONV_STATE = {
  load(shell: object, state: unknown[], where: string): void {
    if (state.length !== CONV_FIELDS.length + 5) throw new TorchError(`cannot load ${where}: its state is not a quantized conv's (${CONV_FIELDS.length + 5} items)`);
    const m = shell as QConv;
    const raw = m._rawTarget();
    CONV_FIELDS.forEach((f, i) => {
      const v = state[i];
      raw[f] = Array.isArray(v) ? [...v] : v;
    });
    raw.dims = m.kernelSize.length;
    const [w, b, scale, zeroPoint, training] = state.slice(CONV_FIELDS.length);
    if (!(w instanceof Tensor) || !(b === null || b instanceof Tensor)) throw new TorchError(`cannot load ${where}: its weight and bias are not tensors`);
    m.setWeightBias(w, b);
    raw.scale = scale;
    raw.zeroPoint = zeroPoint;
    m.training = training as boolean;
  },
  save(module: object) {
    const m = module as QConv;
    const fields = CONV_FIELDS.map((f) => (Array.isArray(m[f]) ? asTuple([...(m[f] as number[])]) : m[f]));
    const [w, b] = m._weightBias();
    return { args: [m.inChannels, m.outChannels, asTuple([...m.kernelSize])], state: [...fields, w, b, m.scale, m.zeroPoint, m.training], floats: [SCALE_AT] };
  },
};

for (const name of ['Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d'] as const) {
  registerPythonClass(`${Q}.conv.${name}`, quantized[name]);
  registerTupleState(`${Q}.conv.${name}`, CONV_STATE);
}
for (const name of ['ConvReLU1d', 'ConvReLU2d', 'ConvReLU3d'] as const) {
  const path = `torch.nn.intrinsic.quantized.modules.conv_relu.${name}`;
  registerPythonClass(path, intrinsicQuantized[name]);
  registerTupleState(path, CONV_STATE);
}

// dynamic ones: Linear as the static one; the RNNs keep each layer's weights in a PackedParameter,
// whose param Python pickles as a CellParamsBase ScriptObject
const D = 'torch.ao.nn.quantized.dynamic.modules';
registerPythonClass(`${D}.linear.Linear`, quantized.dynamic.Linear);
registerPythonClass(`${D}.rnn.LSTM`, quantized.dynamic.LSTM);
registerPythonClass(`${D}.rnn.GRU`, quantized.dynamic.GRU);
registerPythonClass(`${D}.rnn.PackedParameter`, quantized.dynamic.PackedParameter);
registerAttributeConverter(`${D}.rnn.PackedParameter`, 'param', {
  load: (value, where) => CellParams.fromScriptObject(value, where),
  save: (value, where) => {
    if (!(value instanceof CellParams)) throw new TorchError(`cannot save ${where}: it is not a packed RNN cell`);
    return value.toScriptObject();
  },
});
