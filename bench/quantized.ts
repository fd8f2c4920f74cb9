// bench/quantized: int8 inference of torchvision's quantized models (quantize_model: fuse, calibrate,
// convert, on the qnnpack engine) and a dynamically quantized LSTM, PyTorch vs torch-node in one run,
// one paired iteration at a time (bench/paired.ts). Both sides run the same libtorch kernels, so the
// ratio measures what our module layer (FloatFunctional adds, QuantStub, packed-params calls through
// the dispatcher) adds on top. Goal: <= 1.05. Run: npm run bench:quantized
// (BENCH_THREADS, BENCH_ITERS, BENCH_SECONDS; BENCH_ONLY=text runs the cases whose label contains it).
import * as torch from '../lib';
import { nn } from '../lib';
import { models } from '../lib/vision';
import { pairedCase, pairedHeader, pairedRow } from './paired';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ITERS = Number(process.env.BENCH_ITERS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ENGINE = 'qnnpack';

interface Case {
  label: string;
  /** Python: defines m and x */
  python: string;
  /** torch-node: the model and its input */
  node: () => [nn.Module, torch.Tensor];
}

const quantizedModel = (name: 'resnet18' | 'mobilenet_v2', camel: 'resnet18' | 'mobilenetV2', batch: number): Case => ({
  label: `${name} int8 b${batch}`,
  python: `m = torchvision.models.quantization.${name}(quantize=True, backend='${ENGINE}')\nx = torch.randn(${batch}, 3, 224, 224)`,
  node: () => [models.quantization[camel]({ quantize: true, backend: ENGINE }) as nn.Module, torch.randn([batch, 3, 224, 224])],
});

const CASES: Case[] = [
  quantizedModel('resnet18', 'resnet18', 1),
  quantizedModel('resnet18', 'resnet18', 8),
  quantizedModel('mobilenet_v2', 'mobilenetV2', 1),
];

const python = (c: Case): string => `
import torch, torchvision
from torch_threads import set_threads; set_threads(${THREADS})
torch.backends.quantized.engine = '${ENGINE}'
torch.manual_seed(0)
${c.python}
m.eval()
def step():
    with torch.no_grad(): m(x)
`;

async function main(): Promise<void> {
  torch.setNumThreads(THREADS);
  torch.backends.quantized.engine = ENGINE;
  console.log(`quantized engine ${ENGINE}, threads ${THREADS}, at least ${ITERS} paired iterations and ${SECONDS} s per case, ms per iteration`);
  console.log(pairedHeader('PyTorch'));
  for (const c of CASES.filter(({ label }) => label.includes(process.env.BENCH_ONLY ?? ''))) {
    torch.manualSeed(0);
    const [m, x] = c.node();
    m.eval();
    console.log(pairedRow(c.label, await pairedCase(python(c), () => void torch.noGrad(() => m(x)), ITERS, SECONDS)));
  }
}

void main();
