// Every test file runs in a long-lived jest worker that later files share, so one that changes a
// process-wide switch and leaves it changed makes other files fail, intermittently, far from the
// cause (setNumThreads left OpenBLAS at 1 thread, densenet's gradient moved; dcgan left
// cudnn.benchmark on). Each file must end with the switches as it found them; this checks it.
// This afterAll runs before the file's own afterAll hooks: put a switch back where it was changed
// (try/finally, or a child process for what cannot be read back, such as OpenBLAS's pool).
import * as torch from '../../lib';
import { native } from '../../lib/native';

function switches(): Record<string, unknown> {
  const b = torch.backends;
  return {
    threads: torch.getNumThreads(),
    blasThreads: native.blasNumThreads(),
    defaultDtype: String(torch.getDefaultDtype()),
    defaultDevice: String(torch.getDefaultDevice()),
    gradEnabled: torch.isGradEnabled(),
    cudnnEnabled: b.cudnn.enabled,
    cudnnBenchmark: b.cudnn.benchmark,
    cudnnDeterministic: b.cudnn.deterministic,
    cudnnTf32: b.cudnn.allowTf32,
    matmulTf32: b.cuda.matmul.allowTf32,
    mkldnn: b.mkldnn.enabled,
    deterministicAlgorithms: torch.areDeterministicAlgorithmsEnabled(),
    float32MatmulPrecision: torch.getFloat32MatmulPrecision(),
    quantizedEngine: b.quantized.engine,
    profiling: native.profilerEnabled(),
    anomalyMode: native.anomalyMode(),
    warnAlways: torch.isWarnAlwaysEnabled(),
    autocast: native.getAutocastState(),
  };
}

let before: Record<string, unknown>;
beforeAll(() => {
  before = switches();
});
afterAll(() => {
  expect({ 'process-wide switches at the end of this file': switches() }).toEqual({ 'process-wide switches at the end of this file': before });
});
