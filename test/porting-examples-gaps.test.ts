// What porting pytorch/examples line by line found missing, each fixed and checked against PyTorch:
// Tensor.is_xpu/is_mps/is_ipu (dcgan), torch.from_numpy of a NumPy array that torch.load gave as a
// tensor (time_sequence_prediction), and nn.parallel.data_parallel (dcgan).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { IndexError, PyTypeError } from '../lib/errors';
import { runPython } from './helpers/python';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porting-gaps-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('Tensor.isXpu, isMps and isIpu answer as Python\'s is_xpu, is_mps, is_ipu (with isCpu, isCuda, isMeta)', () => {
  const py = runPython<boolean[][]>(`
result = [[getattr(t, f) for f in ['is_cpu', 'is_cuda', 'is_meta', 'is_xpu', 'is_mps', 'is_ipu']] for t in [torch.ones(2), torch.empty(2, device='meta')]]`);
  const ours = [torch.ones(2), torch.empty(2, { device: 'meta' })].map((t) => [t.isCpu, t.isCuda, t.isMeta, t.isXpu, t.isMps, t.isIpu]);
  expect(ours).toEqual(py);
});

test('torch.fromNumpy of a loaded NumPy array\'s slices: Python\'s values and dtypes, sharing its memory', async () => {
  const file = path.join(dir, 'traindata.pt');
  const py = runPython<{ slices: [number[][], string][]; after: number[][] }>(`
import numpy as np
data = np.sin(np.arange(24, dtype='int64').reshape(4, 6) / 20.0).astype('float64')
torch.save(data, open(${JSON.stringify(file)}, 'wb'))
torch.save(np.arange(6, dtype='int64').reshape(2, 3), open(${JSON.stringify(file)} + '.long', 'wb'))
longs = torch.load(${JSON.stringify(file)} + '.long')
ts = [torch.from_numpy(data[3:, :-1]), torch.from_numpy(data[:3, 1:]), torch.from_numpy(longs[:, ::2])]
slices = [[t.tolist(), str(t.dtype)] for t in ts]
ts[1].mul_(2)   # from_numpy shares the array's memory
result = dict(slices=slices, after=data.tolist())`);
  const data = (await torch.load(file)) as Tensor;
  const longs = (await torch.load(`${file}.long`)) as Tensor;
  const ts = [
    torch.fromNumpy(data.index(torch.slice(3), torch.slice(null, -1))),
    torch.fromNumpy(data.index(torch.slice(null, 3), torch.slice(1))),
    torch.fromNumpy(longs.index(':', torch.slice(null, null, 2))),
  ];
  expect(ts.map((t) => [t.tolist(), String(t.dtype)])).toEqual(py.slices);
  ts[1].mul_(2);
  expect(data.tolist()).toEqual(py.after);
  expect(ts[0].requiresGrad).toBe(false);
  // a TypedArray is still an array's memory
  const a = new Float32Array([1, 2, 3]);
  torch.fromNumpy(a).mul_(2);
  expect(Array.from(a)).toEqual([2, 4, 6]);
});

test('nn.parallel.dataParallel: without CUDA, Python\'s errors for every way of giving the devices', () => {
  const py = runPython<[string, string][]>(`
from torch import nn
out = []
for kw in [{}, dict(device_ids=range(2)), dict(device_ids=[]), dict(device_ids=[], output_device=0)]:
    try:
        nn.parallel.data_parallel(nn.Linear(2, 2), torch.ones(1, 2), **kw)
        out.append(['none', ''])
    except Exception as e:
        out.append([type(e).__name__, str(e)])
result = out`);
  if (torch.cuda.isAvailable()) return;   // Python's results are those of a machine without CUDA
  const m = new nn.Linear(2, 2);
  const x = torch.ones(1, 2);
  const calls = [
    () => nn.parallel.dataParallel(m, x),
    () => nn.parallel.dataParallel(m, x, [0, 1]),
    () => nn.parallel.dataParallel(m, x, { deviceIds: [] }),
    () => nn.parallel.dataParallel(m, x, [], 0),
  ];
  const names = new Map<unknown, string>([[PyTypeError, 'TypeError'], [IndexError, 'IndexError']]);
  const ours = calls.map((f) => {
    try {
      f();
      return ['none', ''];
    } catch (e) {
      const cls = [...names.keys()].find((c) => e instanceof (c as typeof PyTypeError));
      return [cls ? names.get(cls) : (e as Error).constructor.name, (e as Error).message];
    }
  });
  expect(ours).toEqual(py);
});

test('nn.parallel.dataParallel on CUDA runs the module on device_ids[0], as Python does with one device', () => {
  if (!torch.cuda.isAvailable()) return;
  torch.manualSeed(0);
  const m = new nn.Linear(3, 2).to('cuda');
  const x = torch.randn(4, 3);
  const y = nn.parallel.dataParallel(m, x, [0]) as Tensor;
  expect(String(y.device)).toBe('cuda:0');
  expect(y.cpu().tolist()).toEqual(torch.noGrad(() => m(x.to('cuda')).cpu().tolist()));
  expect(() => nn.parallel.dataParallel(new nn.Linear(3, 2), x, [0])).toThrow('module must have its parameters and buffers on device cuda:0 (device_ids[0]) but found one of them on device: cpu');
});

// Python's module paths of the classes (torch.load allowlists and isinstance checks name them):
// word_language_model's torch.nn.modules.rnn.LSTM, .sparse.Embedding, .linear.NonDynamicallyQuantizableLinear,
// imagenet's torch.utils.data.distributed.DistributedSampler.
const NEW_PATHS = ['activation', 'adaptive', 'channelshuffle', 'container', 'distance', 'flatten', 'fold', 'loss', 'padding', 'pixelshuffle', 'rnn', 'sparse', 'transformer', 'upsampling'];
// deprecated or legacy in 1.13, not in torch-node: nn.Container, nn.NLLLoss2d
const NOT_PORTED = ['Container', 'NLLLoss2d'];

test('torch.nn.modules.<file> paths name the same classes as torch.nn, as in Python', () => {
  const py = runPython<Record<string, [string, boolean][]>>(`
import importlib
result = {f: [[n, getattr(importlib.import_module('torch.nn.modules.' + f), n) is getattr(torch.nn, n, None)] for n in importlib.import_module('torch.nn.modules.' + f).__all__]
          for f in ${JSON.stringify(NEW_PATHS)}}
result['linear'] = [['NonDynamicallyQuantizableLinear', issubclass(torch.nn.modules.linear.NonDynamicallyQuantizableLinear, torch.nn.Linear)]]
result['torch.utils.data.sampler'] = [[n, getattr(torch.utils.data.sampler, n) is getattr(torch.utils.data, n)] for n in ['Sampler', 'SequentialSampler', 'RandomSampler', 'SubsetRandomSampler', 'WeightedRandomSampler', 'BatchSampler']]
result['torch.utils.data.distributed'] = [['DistributedSampler', torch.utils.data.distributed.DistributedSampler is torch.utils.data.DistributedSampler]]`);
  const modules = nn.modules as unknown as Record<string, Record<string, unknown>>;
  const top = nn as unknown as Record<string, unknown>;
  const data = torch.utils.data as unknown as Record<string, Record<string, unknown>>;
  for (const f of NEW_PATHS) {
    const ours = py[f].filter(([n]) => !NOT_PORTED.includes(n)).map(([n]) => [n, modules[f][n] !== undefined && modules[f][n] === top[n]]);
    expect(ours).toEqual(py[f].filter(([n]) => !NOT_PORTED.includes(n)));
  }
  const ndq = modules.linear.NonDynamicallyQuantizableLinear as typeof nn.Linear;
  expect([['NonDynamicallyQuantizableLinear', ndq.prototype instanceof nn.Linear]]).toEqual(py.linear);
  expect(new nn.MultiheadAttention(4, 2).out_proj).toBeInstanceOf(ndq);
  for (const [path, mod] of [['torch.utils.data.sampler', data.sampler], ['torch.utils.data.distributed', data.distributed]] as const) {
    expect(py[path].map(([n]) => [n, mod[n] !== undefined && mod[n] === (data as unknown as Record<string, unknown>)[n]])).toEqual(py[path]);
  }
});
