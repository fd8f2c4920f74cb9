// GPU benchmarks, PyTorch and torch-node in one run on the same GPU (issue 11):
//   - launch overhead: add of two 1-element CUDA tensors, us/op
//   - MLP 784-512-10 training step, batch 64, SGD momentum, us/step
//   - ResNet-18 / ResNet-50 training, batch 256, 224x224, channels_last, fp32 and bf16 autocast, img/s
//   - ResNet-50 inference (eval, inference mode), batch 256, channels_last, fp32 and bf16, img/s
// Timings put a cuda synchronize around each timed block. The ResNets come from lib/vision; if it
// is missing those rows are skipped with a message. Env: BENCH_ITERS (ResNet steps, default 20),
// BENCH_ONLY (comma list of row keys), BENCH_JSON (a file to write the results to).
import * as fs from 'fs';
import * as torch from '../lib';
import { runPythonJson } from './python';

const ITERS = Number(process.env.BENCH_ITERS ?? 20);
const WARMUP = 5;
const ONLY = process.env.BENCH_ONLY?.split(',');

interface Row {
  key: string;
  label: string;
  unit: 'us' | 'img/s';
}

const ROWS: Row[] = [
  { key: 'add', label: 'add, 1-element tensors (launch overhead)', unit: 'us' },
  { key: 'mlp', label: 'MLP 784-512-10 train step, batch 64', unit: 'us' },
  { key: 'resnet18_fp32', label: 'ResNet-18 train, b256, fp32, channels_last', unit: 'img/s' },
  { key: 'resnet18_bf16', label: 'ResNet-18 train, b256, bf16 autocast, channels_last', unit: 'img/s' },
  { key: 'resnet50_fp32', label: 'ResNet-50 train, b256, fp32, channels_last', unit: 'img/s' },
  { key: 'resnet50_bf16', label: 'ResNet-50 train, b256, bf16 autocast, channels_last', unit: 'img/s' },
  { key: 'resnet50_infer_fp32', label: 'ResNet-50 inference, b256, fp32, channels_last', unit: 'img/s' },
  { key: 'resnet50_infer_bf16', label: 'ResNet-50 inference, b256, bf16 autocast, channels_last', unit: 'img/s' },
];
const wanted = (key: string): boolean => !ONLY || ONLY.includes(key);

const PYTHON = (keys: string[]) => `
import json, time, torch, torchvision
import torch.nn.functional as F
keys = ${JSON.stringify(keys)}
out = {'device': torch.cuda.get_device_name(0), 'torch': torch.__version__}
dev = 'cuda'
def timed(fn, n):
    torch.cuda.synchronize(); t0 = time.perf_counter()
    for _ in range(n): fn()
    torch.cuda.synchronize(); return (time.perf_counter() - t0) / n
if 'add' in keys:
    a = torch.ones(1, device=dev); b = torch.ones(1, device=dev)
    timed(lambda: a + b, 2000)
    out['add'] = min(timed(lambda: a + b, 20000) for _ in range(3)) * 1e6
if 'mlp' in keys:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(64, 784, device=dev); y = torch.randint(0, 10, (64,), device=dev)
    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()
    timed(step, 50)
    out['mlp'] = min(timed(step, 500) for _ in range(3)) * 1e6
def resnet_train(name, bf16):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)().to(dev).to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(256, 3, 224, 224, device=dev).to(memory_format=torch.channels_last)
    y = torch.randint(0, 1000, (256,), device=dev)
    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast('cuda', dtype=torch.bfloat16, enabled=bf16):
            loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    timed(step, ${WARMUP})
    return 256 / timed(step, ${ITERS})
def resnet_infer(name, bf16):
    model = getattr(torchvision.models, name)().to(dev).to(memory_format=torch.channels_last).eval()
    x = torch.randn(256, 3, 224, 224, device=dev).to(memory_format=torch.channels_last)
    def step():
        with torch.inference_mode(), torch.autocast('cuda', dtype=torch.bfloat16, enabled=bf16):
            model(x)
    timed(step, ${WARMUP})
    return 256 / timed(step, ${ITERS})
for k in keys:
    if k.startswith('resnet') and '_infer_' not in k:
        name, prec = k.split('_'); out[k] = resnet_train(name, prec == 'bf16')
    elif '_infer_' in k:
        name, _, prec = k.split('_'); out[k] = resnet_infer(name, prec == 'bf16')
print(json.dumps(out))
`;

function timed(fn: () => void, n: number): number {
  torch.cuda.synchronize();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  torch.cuda.synchronize();
  return Number(process.hrtime.bigint() - t0) / 1e9 / n;
}

const channelsLast = (t: torch.Tensor): torch.Tensor => (t.dim() === 4 ? t.contiguous({ memoryFormat: torch.channelsLast }) : t);

function benchAdd(): number {
  const a = torch.ones([1], { device: 'cuda' }), b = torch.ones([1], { device: 'cuda' });
  const op = () => void a.add(b);
  timed(op, 2000);
  return Math.min(...[0, 1, 2].map(() => timed(op, 20000))) * 1e6;
}

function benchMlp(): number {
  torch.manualSeed(0);
  const { nn, optim } = torch;
  const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 10)).to('cuda');
  const opt = new optim.SGD([...model.parameters()], { lr: 0.01, momentum: 0.9 });
  const x = torch.randn([64, 784], { device: 'cuda' }), y = torch.randint(0, 10, [64], { device: 'cuda' });
  const step = () => {
    opt.zeroGrad({ setToNone: true });
    nn.functional.crossEntropy(model(x) as torch.Tensor, y).backward();
    opt.step();
  };
  timed(step, 50);
  return Math.min(...[0, 1, 2].map(() => timed(step, 500))) * 1e6;
}

type ModelFactory = () => torch.nn.Module;

function benchResnetTrain(make: ModelFactory, bf16: boolean): number {
  torch.manualSeed(0);
  const model = make().to('cuda')._apply(channelsLast);
  const opt = new torch.optim.SGD([...model.parameters()], { lr: 0.1, momentum: 0.9 });
  const x = channelsLast(torch.randn([256, 3, 224, 224], { device: 'cuda' }));
  const y = torch.randint(0, 1000, [256], { device: 'cuda' });
  const step = () =>
    torch.tidy(() => {
      opt.zeroGrad({ setToNone: true });
      const loss = torch.autocast('cuda', { dtype: torch.bfloat16, enabled: bf16 }, () =>
        torch.nn.functional.crossEntropy(model(x) as torch.Tensor, y),
      );
      loss.backward();
      opt.step();
    });
  timed(step, WARMUP);
  return 256 / timed(step, ITERS);
}

function benchResnetInfer(make: ModelFactory, bf16: boolean): number {
  const model = make().to('cuda')._apply(channelsLast).eval();
  const x = channelsLast(torch.randn([256, 3, 224, 224], { device: 'cuda' }));
  const step = () =>
    torch.tidy(() =>
      torch.inferenceMode(() => void torch.autocast('cuda', { dtype: torch.bfloat16, enabled: bf16 }, () => model(x))),
    );
  timed(step, WARMUP);
  return 256 / timed(step, ITERS);
}

async function visionModels(): Promise<Record<string, ModelFactory> | undefined> {
  try {
    const vision = await import('../lib/vision');
    const models = vision.models as unknown as Record<string, ModelFactory>;
    if (typeof models.resnet18 !== 'function' || typeof models.resnet50 !== 'function') return undefined;
    return { resnet18: () => models.resnet18(), resnet50: () => models.resnet50() };
  } catch (e) {
    console.log(`lib/vision not available (${(e as Error).message}): ResNet rows skipped`);
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!torch.cuda.isAvailable()) {
    console.log('bench/gpu: torch.cuda.isAvailable() is false (no GPU or a CPU-only libtorch); nothing to measure');
    return;
  }
  const models = await visionModels();
  const rows = ROWS.filter((r) => wanted(r.key) && (models || !r.key.startsWith('resnet')));
  const keys = rows.map((r) => r.key);
  const ours: Record<string, number> = {};
  // each row on its own: one that fails is reported and the others still run; printed as measured
  // so a run cut short still says what it had
  for (const key of keys) {
    try {
      if (key === 'add') ours.add = benchAdd();
      else if (key === 'mlp') ours.mlp = benchMlp();
      else {
        const [name, a, b] = key.split('_');
        const bf16 = (b ?? a) === 'bf16';
        ours[key] = a === 'infer' ? benchResnetInfer(models![name], bf16) : benchResnetTrain(models![name], bf16);
      }
      console.log(`torch-node ${key}: ${ours[key].toFixed(1)}`);
    } catch (e) {
      console.log(`torch-node ${key} failed: ${(e as Error).stack}`);
    }
    torch.cuda.emptyCache();
  }
  const py = runPythonJson<Record<string, number | string>>(PYTHON(keys));
  console.log(`GPU: ${torch.cuda.getDeviceName()} | PyTorch ${py.torch} | torch-node over libtorch ${torch.libtorchVersion}`);
  console.log('workload'.padEnd(58) + 'PyTorch'.padStart(12) + 'torch-node'.padStart(12) + 'ratio'.padStart(8));
  const results: Record<string, { pytorch: number; torchNode: number; ratio: number; unit: string }> = {};
  for (const r of rows) {
    const p = py[r.key] as number, n = ours[r.key];
    if (n === undefined) continue;
    // ratio = torch-node time / PyTorch time (throughputs inverted), <= 1.0 is the goal
    const ratio = r.unit === 'us' ? n / p : p / n;
    results[r.key] = { pytorch: p, torchNode: n, ratio, unit: r.unit };
    const fmt = (v: number): string => (r.unit === 'us' ? `${v.toFixed(1)} us` : `${v.toFixed(0)}`);
    console.log(`${r.label} [${r.unit}]`.padEnd(58) + fmt(p).padStart(12) + fmt(n).padStart(12) + ratio.toFixed(3).padStart(8));
  }
  if (process.env.BENCH_JSON) {
    fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ device: py.device, torch: py.torch, results }, null, 2));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
