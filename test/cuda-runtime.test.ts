// torch.cuda's functions: without a GPU (always runs) they answer as PyTorch does on a CPU-only
// build; with one, devices, synchronization, memory statistics and seeds behave as PyTorch's.
import * as torch from '../lib';
import { describeCuda, hasCuda } from './helpers/cuda';
import { runPython } from './helpers/python';

(hasCuda ? describe.skip : describe)('torch.cuda without a GPU', () => {
  test('isAvailable false, deviceCount 0, statistics 0, emptyCache and seeding do nothing', () => {
    expect(torch.cuda.isAvailable()).toBe(false);
    expect(torch.cuda.deviceCount()).toBe(0);
    expect(torch.cuda.memoryAllocated()).toBe(0);
    expect(torch.cuda.maxMemoryAllocated()).toBe(0);
    expect(torch.cuda.memoryReserved()).toBe(0);
    expect(() => torch.cuda.emptyCache()).not.toThrow();
    expect(() => torch.cuda.manualSeed(1)).not.toThrow();
    expect(() => torch.cuda.manualSeedAll(1)).not.toThrow();
  });

  test("what needs a GPU raises PyTorch's message as TorchError", () => {
    const msg = torch.cuda.isBuilt() ? 'No CUDA GPUs are available' : 'Torch not compiled with CUDA enabled';
    for (const call of [
      () => torch.cuda.synchronize(),
      () => torch.cuda.currentDevice(),
      () => torch.cuda.setDevice(0),
      () => torch.cuda.getDeviceName(),
      () => torch.cuda.resetPeakMemoryStats(),
    ]) {
      expect(call).toThrow(torch.TorchError);
      expect(call).toThrow(msg);
    }
    expect(() => torch.cuda.synchronize('cpu')).toThrow('Expected a cuda device, but got: cpu');
  });

  test('the namespace keeps its earlier users working (pinMemory, mapLocation checks)', () => {
    expect(typeof torch.cuda.amp.GradScaler).toBe('function');
    expect(typeof torch.cuda.amp.autocast).toBe('function');
  });
});

describeCuda('torch.cuda with a GPU', () => {
  test('devices: count, current, name, setDevice; device strings', () => {
    const py = runPython<{ count: number; name: string }>(`result = {'count': torch.cuda.device_count(), 'name': torch.cuda.get_device_name(0)}`);
    expect(torch.cuda.deviceCount()).toBe(py.count);
    expect(torch.cuda.getDeviceName(0)).toBe(py.name);
    expect(torch.cuda.getDeviceName('cuda:0')).toBe(py.name);
    torch.cuda.setDevice(0);
    expect(torch.cuda.currentDevice()).toBe(0);
    expect(() => torch.cuda.getDeviceName(py.count)).toThrow('Invalid device id');
    expect(() => torch.cuda.synchronize('cpu')).toThrow('Expected a cuda device, but got: cpu');
  });

  test('memoryAllocated follows tensors; emptyCache lowers reserved; peaks reset', () => {
    torch.cuda.synchronize();
    torch.cuda.emptyCache();
    const base = torch.cuda.memoryAllocated();
    const t = torch.empty([1024, 1024], { device: 'cuda' }); // 4 MiB
    expect(torch.cuda.memoryAllocated() - base).toBe(4 << 20);
    expect(torch.cuda.memoryReserved()).toBeGreaterThanOrEqual(torch.cuda.memoryAllocated());
    t.dispose();
    expect(torch.cuda.memoryAllocated()).toBe(base);
    expect(torch.cuda.maxMemoryAllocated()).toBeGreaterThanOrEqual(base + (4 << 20));
    torch.cuda.resetPeakMemoryStats();
    expect(torch.cuda.maxMemoryAllocated()).toBe(base);
    torch.cuda.emptyCache();
    expect(torch.cuda.memoryReserved()).toBeLessThanOrEqual(torch.cuda.maxMemoryReserved());
  });

  test("manualSeed: the same CUDA draws as PyTorch's after the same seed", () => {
    const py = runPython<number[]>(`torch.cuda.manual_seed(7); result = torch.randn(5, device='cuda').tolist()`);
    torch.cuda.manualSeed(7);
    expect(torch.randn([5], { device: 'cuda' }).tolist()).toEqual(py);
    torch.cuda.manualSeedAll(7);
    expect(torch.randn([5], { device: 'cuda' }).tolist()).toEqual(py);
    torch.manualSeed(7); // torch.manual_seed seeds CUDA too
    expect(torch.randn([5], { device: 'cuda' }).tolist()).toEqual(py);
  });

  test('a loop with no dispose calls keeps GPU memory bounded (GC pressure from CUDA bytes)', () => {
    const x = torch.randn([256, 256], { device: 'cuda' });
    torch.cuda.synchronize();
    const start = torch.cuda.memoryAllocated();
    let peak = 0;
    for (let i = 0; i < 3000; i++) {
      x.mul(2).add(1).relu(); // 256 KiB per temporary, never disposed
      if (i % 100 === 0) peak = Math.max(peak, torch.cuda.memoryAllocated() - start);
    }
    torch.cuda.synchronize();
    // 3000 x 3 temporaries would be 2.3 GB; the collector must have freed most of them
    expect(peak).toBeLessThan(512 << 20);
  });

  test('large CUDA tensors that outlive scavenges are still collected (full GCs paced by device bytes)', () => {
    torch.cuda.synchronize();
    const start = torch.cuda.memoryAllocated();
    const window: torch.Tensor[] = []; // each tensor lives for 50 iterations: long enough to reach V8's old space
    let peak = 0;
    for (let i = 0; i < 500; i++) {
      window.push(torch.empty([16 << 20], { device: 'cuda' })); // 64 MiB, 32 GB in all
      if (window.length > 50) window.shift();
      peak = Math.max(peak, torch.cuda.memoryAllocated() - start);
    }
    window.length = 0;
    // 50 live (3.2 GB) plus what waits for the next full GC (at most as much again, and 1 GB)
    expect(peak).toBeLessThan(10 * 2 ** 30);
  });
});
