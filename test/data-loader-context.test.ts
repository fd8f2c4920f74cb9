// DataLoader's multiprocessing_context and pin_memory_device options: PyTorch's checks and texts.
import * as torch from '../lib';
import { DataLoader, TensorDataset } from '../lib/data';
import { runPython } from './helpers/python';
import { message } from './helpers/error-oracle';

const ds = new TensorDataset(torch.arange(4));

const want = runPython<string[]>(`
from torch.utils.data import DataLoader, TensorDataset
ds = TensorDataset(torch.arange(4))
out = []
for kw in [dict(multiprocessing_context='spawn'), dict(num_workers=1, multiprocessing_context='threads'), dict(num_workers=1, multiprocessing_context=3)]:
    try:
        DataLoader(ds, **kw)
        out.append('no error')
    except Exception as e:
        out.append(type(e).__name__ + ': ' + str(e))
result = out
`);

test.each([
  ['without workers', { multiprocessingContext: 'spawn' }, 0],
  ['an unknown start method', { numWorkers: 1, multiprocessingContext: 'threads' }, 1],
  ['not a string', { numWorkers: 1, multiprocessingContext: 3 as unknown as string }, 2],
] as const)('multiprocessingContext %s: PyTorch\'s error', (_label, options, i) => {
  const got = message(() => new DataLoader(ds, options));
  expect(want[i].endsWith(got)).toBe(true);
  let name = '';
  try {
    new DataLoader(ds, options);
  } catch (e) {
    name = (e as Error).name;
  }
  expect(want[i].startsWith(name)).toBe(true);
});

test('a valid start method is accepted with workers; workers stay threads', () => {
  const loader = new DataLoader(ds, { numWorkers: 1, multiprocessingContext: 'fork' });
  expect(loader.multiprocessingContext).toBe('fork');
});

test('pinMemoryDevice without pinMemory warns as PyTorch does and leaves batches alone', async () => {
  const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  const batches: torch.Tensor[][] = [];
  for await (const b of new DataLoader(ds, { batchSize: 2, pinMemoryDevice: 'cuda' })) batches.push(b as torch.Tensor[]);
  const messages = warn.mock.calls.map((c) => String(c[0]));
  warn.mockRestore();
  expect(batches.length).toBe(2);
  expect(messages.some((w) => w.startsWith('pin memory device is set and pin_memory flag is not used'))).toBe(true);
});
