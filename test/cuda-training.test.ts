// Training on CUDA: optimizers step as on the CPU, DataLoader pinMemory batches copied with
// nonBlocking, and mixed precision (autocast('cuda') + GradScaler) against PyTorch's own
// GradScaler in the same run. Skipped (with a message) where torch.cuda.isAvailable() is false.
import * as torch from '../lib';
import { DataLoader, TensorDataset } from '../lib/data';
import { describeCuda, maxDiff } from './helpers/cuda';
import { runPython } from './helpers/python';

const { nn, optim } = torch;
const F = nn.functional;

describeCuda('training on CUDA', () => {
  const makers: [string, (p: torch.Tensor[]) => torch.optim.Optimizer][] = [
    ['SGD momentum nesterov', (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
    ['Adam', (p) => new optim.Adam(p, { lr: 0.01 })],
    ['AdamW amsgrad', (p) => new optim.AdamW(p, { lr: 0.01, amsgrad: true })],
    ['RMSprop', (p) => new optim.RMSprop(p, { lr: 0.01, momentum: 0.5 })],
    ['Adagrad', (p) => new optim.Adagrad(p, { lr: 0.1 })],
  ];

  test.each(makers)('%s: 5 steps on CUDA equal 5 steps on the CPU', (_name, make) => {
    torch.manualSeed(0);
    const cpuModel = new nn.Sequential(new nn.Linear(6, 8), new nn.Tanh(), new nn.Linear(8, 2)).double();
    const gpuModel = nn.deepcopy(cpuModel).to('cuda');
    const x = torch.randn([10, 6], { dtype: torch.float64 }), y = torch.randn([10, 2], { dtype: torch.float64 });
    for (const [model, dev] of [[cpuModel, 'cpu'], [gpuModel, 'cuda']] as const) {
      const opt = make([...model.parameters()]);
      for (let i = 0; i < 5; i++) {
        opt.zeroGrad();
        F.mseLoss(model(x.to(dev)), y.to(dev)).backward();
        opt.step();
      }
    }
    const pc = [...cpuModel.parameters()], pg = [...gpuModel.parameters()];
    pc.forEach((p, i) => expect(maxDiff(p, pg[i])).toBeLessThan(1e-10));
  });

  test('DataLoader pinMemory gives pinned batches; nonBlocking copies arrive intact', async () => {
    const data = torch.randn([20, 3]), labels = torch.arange(20);
    const loader = new DataLoader(new TensorDataset(data, labels), { batchSize: 8, pinMemory: true });
    const seen: number[] = [];
    for await (const [xb, yb] of loader as AsyncIterable<[torch.Tensor, torch.Tensor]>) {
      expect(xb.isPinned()).toBe(true);
      const xg = xb.to('cuda', { nonBlocking: true }), yg = yb.to('cuda', { nonBlocking: true });
      torch.cuda.synchronize();
      expect(maxDiff(xg, xb)).toBe(0);
      seen.push(...(yg.cpu().tolist() as number[]));
    }
    expect(seen).toEqual([...Array(20).keys()]);
  });

  test("autocast('cuda', float16): matmul in half, softmax/loss in float32, as PyTorch", () => {
    const py = runPython<string[]>(`
a = torch.randn(4, 4, device='cuda')
with torch.autocast('cuda', dtype=torch.float16):
    m = a @ a
    result = [str(m.dtype), str(torch.softmax(m, 1).dtype), str(torch.nn.functional.mse_loss(m, a).dtype), str(torch.relu(m).dtype)]
`);
    const a = torch.randn([4, 4], { device: 'cuda' });
    const ours = torch.autocast('cuda', { dtype: torch.float16 }, () => {
      const m = torch.matmul(a, a);
      return [m.dtype, torch.softmax(m, 1).dtype, F.mseLoss(m, a).dtype, torch.relu(m).dtype].map(String);
    });
    expect(ours).toEqual(py);
  });

  test('autocast + GradScaler training equals PyTorch (losses, scale trace, weights)', () => {
    const STEPS = 6;
    const ref = runPython<{ losses: number[]; scales: number[]; weights: number[][] }>(`
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4)).cuda()
x = torch.randn(8, 16).cuda(); t = torch.randn(8, 4).cuda()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scaler = torch.cuda.amp.GradScaler(init_scale=2.**20, growth_interval=2)
losses, scales = [], []
for i in range(${STEPS}):
    opt.zero_grad()
    xi = x.clone()
    if i == 2: xi[0, 0] = float('inf')
    with torch.autocast('cuda', dtype=torch.float16):
        loss = torch.nn.functional.mse_loss(model(xi), t)
    scaler.scale(loss).backward()
    scaler.step(opt); scaler.update()
    losses.append(loss.item() if loss.isfinite() else -1.0); scales.append(scaler.get_scale())
result = {'losses': losses, 'scales': scales, 'weights': [p.detach().cpu().flatten().tolist() for p in model.parameters()]}
`);
    torch.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(16, 32), new nn.ReLU(), new nn.Linear(32, 4)).cuda();
    const x = torch.randn([8, 16]).cuda(), t = torch.randn([8, 4]).cuda();
    const opt = new optim.SGD([...model.parameters()], { lr: 0.05, momentum: 0.9 });
    const scaler = new torch.cuda.amp.GradScaler({ initScale: 2 ** 20, growthInterval: 2 });
    const losses: number[] = [], scales: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      opt.zeroGrad();
      const xi = x.clone();
      if (i === 2) xi.indexPut_([0, 0], Infinity);
      const loss = torch.autocast('cuda', { dtype: torch.float16 }, () => F.mseLoss(model(xi), t));
      scaler.scale(loss).backward();
      scaler.step(opt);
      scaler.update();
      const l = loss.item() as number;
      losses.push(Number.isFinite(l) ? l : -1);
      scales.push(scaler.getScale());
    }
    expect(scales).toEqual(ref.scales);
    losses.forEach((l, i) => expect(l).toBeCloseTo(ref.losses[i], 3));
    [...model.parameters()].forEach((p, i) =>
      (p.detach().cpu().flatten().tolist() as number[]).forEach((w, j) => expect(w).toBeCloseTo(ref.weights[i][j], 3)),
    );
  });

  test('bf16 autocast with channels_last convolution trains', () => {
    const conv = new nn.Conv2d(3, 8, 3).cuda().to({ memoryFormat: torch.channelsLast });
    const x = torch.randn([2, 3, 16, 16], { device: 'cuda' }).contiguous({ memoryFormat: torch.channelsLast });
    const out = torch.autocast('cuda', { dtype: torch.bfloat16 }, () => conv(x) as torch.Tensor);
    expect(out.dtype).toBe(torch.bfloat16);
    out.float().sum().backward();
    expect(conv.weight.grad!.dtype).toBe(torch.float32);
  });
});
