// Tensors on CUDA: moves to and from the device, cross-device errors, autograd, every nn layer
// family against its CPU result, model.to('cuda'), a CPU-saved state_dict loaded with mapLocation.
// Skipped (with a message) where torch.cuda.isAvailable() is false.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { describeCuda, maxDiff } from './helpers/cuda';

const { nn } = torch;

describeCuda('CUDA tensors', () => {
  test("to('cuda'), cuda(), cpu(), to(device, dtype), nonBlocking copies keep values", () => {
    const t = torch.arange(6, { dtype: torch.float32 }).reshape([2, 3]);
    const g = t.to('cuda');
    expect(g.device.type).toBe('cuda');
    expect(g.isCuda).toBe(true);
    expect(String(g.device)).toBe('cuda:0');
    expect(t.cuda().cpu().tolist()).toEqual(t.tolist());
    expect(t.to(torch.device('cuda', 0), torch.float64).dtype).toBe(torch.float64);
    expect(g.to('cpu', { nonBlocking: true }).tolist()).toEqual(t.tolist());
    expect(torch.zeros([2], { device: 'cuda' }).device.type).toBe('cuda');
    expect(g.sum().item()).toBe(15);
  });

  test('cross-device ops raise TorchError with PyTorch\'s message', () => {
    const a = torch.ones([2]), b = torch.ones([2]).cuda();
    expect(() => a.add(b)).toThrow(torch.TorchError);
    expect(() => a.add(b)).toThrow(/Expected all tensors to be on the same device/);
    expect(() => torch.mm(torch.ones([2, 2]).cuda(), torch.ones([2, 2]))).toThrow(torch.TorchError);
    expect(() => torch.ones([1]).to('cuda:99')).toThrow(torch.TorchError);
  });

  test('autograd on CUDA: gradients equal the CPU ones', () => {
    const x = torch.randn([4, 3], { dtype: torch.float64 });
    const grads = ['cpu', 'cuda'].map((d) => {
      const xi = x.detach().to(d).requiresGrad_(); // a fresh leaf on each device
      xi.tanh().mul(xi).sum().backward();
      expect(xi.grad!.device.type).toBe(d);
      return xi.grad!;
    });
    expect(maxDiff(grads[0], grads[1])).toBeLessThan(1e-12);
  });

  // one layer per family; float64 so results compare tightly (no TF32)
  const families: [string, () => torch.nn.Module, number[]][] = [
    ['Linear', () => new nn.Linear(8, 4), [3, 8]],
    ['Conv2d', () => new nn.Conv2d(3, 4, 3, { padding: 1 }), [2, 3, 8, 8]],
    ['ConvTranspose2d', () => new nn.ConvTranspose2d(3, 2, 3), [2, 3, 5, 5]],
    ['BatchNorm2d', () => new nn.BatchNorm2d(3), [4, 3, 5, 5]],
    ['LayerNorm', () => new nn.LayerNorm(6), [2, 6]],
    ['GroupNorm', () => new nn.GroupNorm(2, 4), [2, 4, 3, 3]],
    ['MaxPool2d', () => new nn.MaxPool2d(2), [1, 2, 6, 6]],
    ['AdaptiveAvgPool2d', () => new nn.AdaptiveAvgPool2d(3), [1, 2, 7, 7]],
    ['GELU', () => new nn.GELU(), [3, 5]],
    ['Softmax', () => new nn.Softmax(1), [3, 5]],
    ['LSTM', () => new nn.LSTM(4, 5, { batchFirst: true }), [2, 3, 4]],
    ['GRU', () => new nn.GRU(4, 5), [3, 2, 4]],
    ['TransformerEncoderLayer', () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 }), [3, 2, 8]],
    ['Upsample', () => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }), [1, 2, 3, 3]],
    ['ReflectionPad2d', () => new nn.ReflectionPad2d(1), [1, 2, 3, 3]],
  ];

  test.each(families)('%s: forward and gradients on CUDA equal the CPU ones', (_name, make, shape) => {
    torch.manualSeed(0);
    const cpuModel = make().double();
    const gpuModel = nn.deepcopy(cpuModel).to('cuda');
    const x = torch.randn(shape, { dtype: torch.float64 });
    const run = (m: torch.nn.Module, input: torch.Tensor): [torch.Tensor, torch.Tensor[]] => {
      const xi = input.clone().requiresGrad_();
      let out = m(xi) as torch.Tensor | torch.Tensor[];
      if (Array.isArray(out)) out = out[0];
      out.pow(2).sum().backward();
      return [out, [xi.grad!, ...[...m.parameters()].map((p) => p.grad!)]];
    };
    const [outC, gradsC] = run(cpuModel, x);
    const [outG, gradsG] = run(gpuModel, x.cuda());
    expect(outG.device.type).toBe('cuda');
    expect(maxDiff(outC, outG)).toBeLessThan(1e-9);
    gradsC.forEach((g, i) => expect(maxDiff(g, gradsG[i])).toBeLessThan(1e-8));
  });

  test("model.to('cuda') moves parameters and buffers, keeping Parameter identity", () => {
    const m = new nn.Sequential(new nn.Linear(3, 3), new nn.BatchNorm1d(3));
    const params = [...m.parameters()];
    m.to('cuda');
    expect([...m.parameters()]).toEqual(params);
    for (const p of m.parameters()) expect(p.device.type).toBe('cuda');
    for (const b of m.buffers()) expect(b.device.type).toBe('cuda');
    expect(String(params[0].device)).toBe('cuda:0');
  });

  test('a CPU-saved state_dict loads onto CUDA with mapLocation, and CUDA tensors save', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-cuda-'));
    const m = new nn.Linear(4, 2);
    const file = path.join(dir, 'cpu.pt');
    await torch.save(m.stateDict(), file);
    const sd = (await torch.load(file, { mapLocation: 'cuda' })) as Record<string, torch.Tensor>;
    expect(sd.weight.device.type).toBe('cuda');
    const g = new nn.Linear(4, 2).to('cuda');
    g.loadStateDict(sd);
    expect(maxDiff(g.weight, m.weight)).toBe(0);
    const back = path.join(dir, 'cuda.pt');
    await torch.save(g.stateDict(), back);
    const cpu = (await torch.load(back, { mapLocation: 'cpu' })) as Record<string, torch.Tensor>;
    expect(cpu.weight.device.type).toBe('cpu');
    fs.rmSync(dir, { recursive: true });
  });
});
