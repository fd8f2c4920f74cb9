// data.StackDataset (PyTorch 2.1) against the 2.1 class run on PyTorch 1.13
// (test/helpers/v2_reference.py): tuple and dict items, lengths, DataLoader batches, errors.
import * as path from 'path';
import * as torch from '../lib';
import { DataLoader, StackDataset, TensorDataset, ValueError } from '../lib/data';
import { runPython } from './helpers/python';
import { message } from './helpers/error-oracle';

const REFERENCE = path.join(__dirname, 'helpers', 'v2_reference.py');

const PY = runPython<{
  tupleItem: unknown;
  dictItem: unknown;
  len: number;
  tupleBatches: unknown[];
  dictBatches: unknown[];
  errors: string[];
}>(`
import runpy
from torch.utils.data import TensorDataset, DataLoader
StackDataset = runpy.run_path(${JSON.stringify(REFERENCE)})['StackDataset']
x = torch.arange(12.).reshape(6, 2)
y = torch.arange(6) * 10
images = TensorDataset(x)
labels = [int(v) for v in y]
tuple_ds = StackDataset(images, labels)
dict_ds = StackDataset(image=images, label=labels)
t = lambda o: o.tolist() if isinstance(o, torch.Tensor) else [t(e) for e in o] if isinstance(o, (list, tuple)) else {k: t(v) for k, v in o.items()} if isinstance(o, dict) else o
result = dict(
    tupleItem=t(tuple_ds[4]),
    dictItem=t(dict_ds[4]),
    len=len(dict_ds),
    tupleBatches=[t(b) for b in DataLoader(tuple_ds, batch_size=4)],
    dictBatches=[t(b) for b in DataLoader(dict_ds, batch_size=4)],
    errors=[err(lambda: StackDataset(images, label=labels)), err(lambda: StackDataset()), err(lambda: StackDataset(images, labels[:3]))],
)
`);

const x = torch.arange(12, { dtype: torch.float32 }).reshape(6, 2);
const images = new TensorDataset(x);
const labels = [0, 10, 20, 30, 40, 50];
/** tensors to nested arrays, as the Python side prints them */
const plain = (o: unknown): unknown =>
  o instanceof torch.Tensor ? o.tolist() : Array.isArray(o) ? o.map(plain) : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)])) : o;

describe('data.StackDataset (2.1)', () => {
  test('positional datasets give tuple items', () => {
    const ds = new StackDataset(images, labels);
    expect(plain(ds.getItem(4))).toEqual(PY.tupleItem);
    expect(ds.len()).toBe(PY.len);
  });
  test('named datasets (Python keywords) give dict items, in the given order', () => {
    const ds = new StackDataset({ image: images, label: labels });
    const item = ds.getItem(4) as Record<string, unknown>;
    expect(Object.keys(item)).toEqual(['image', 'label']);
    expect(plain(item)).toEqual(PY.dictItem);
    expect(ds.length).toBe(PY.len);
  });
  test('DataLoader batches equal PyTorch\'s, tuple and dict', async () => {
    const batches = async (ds: StackDataset) => {
      const out: unknown[] = [];
      for await (const b of new DataLoader(ds, { batchSize: 4 })) out.push(plain(b));
      return out;
    };
    expect(await batches(new StackDataset(images, labels))).toEqual(PY.tupleBatches);
    expect(await batches(new StackDataset({ image: images, label: labels }))).toEqual(PY.dictBatches);
  });
  test('an async part makes getItem async', async () => {
    class Later extends torch.utils.data.Dataset<number> {
      len() {
        return 6;
      }
      async getItem(i: number) {
        return i * 10;
      }
    }
    const ds = new StackDataset(images, new Later());
    expect(plain(await ds.getItem(4))).toEqual(PY.tupleItem);
  });
  test('errors are 2.1\'s ValueErrors', () => {
    const calls = [() => new StackDataset(images, { label: labels }), () => new StackDataset(), () => new StackDataset(images, labels.slice(0, 3))];
    calls.forEach((call, i) => {
      expect(call).toThrow(ValueError);
      expect(message(call)).toBe(PY.errors[i]);
    });
  });
});
