// torch.backends.quantized: the engine libtorch's quantized ops run on ('onednn', 'qnnpack', ...),
// by the names and codes of Python's torch/backends/quantized (c10::QEngine's order).
import { TorchError } from '../../errors';
import { native } from '../../native';

const NAMES = ['none', 'fbgemm', 'qnnpack', 'onednn', 'x86'];

function engineName(code: number): string {
  return NAMES[code] ?? '*undefined';
}

function engineCode(name: string | null): number {
  const code = name === null || name === '' ? 0 : NAMES.indexOf(name);
  if (code < 0) throw new TorchError(`${name} is not a valid value for quantized engine`);
  return code;
}

/** torch.backends.quantized: engine (read and set) and supportedEngines. */
export const quantized = Object.defineProperties({} as { engine: string; readonly supportedEngines: string[] }, {
  engine: {
    get: (): string => engineName(native.quantizedEngine()),
    set: (name: string | null) => void native.quantizedEngine(engineCode(name)),
    enumerable: true,
  },
  supportedEngines: {
    get: (): string[] => native.supportedQuantizedEngines().map(engineName),
    set: () => {
      throw new TorchError('Assignment not supported');
    },
    enumerable: true,
  },
});
