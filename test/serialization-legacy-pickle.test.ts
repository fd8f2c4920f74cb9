// The legacy pickle format (torch 0.4-1.5, or _use_new_zipfile_serialization=False) in the forms
// PyTorch 1.13 reads but no longer writes: storage slices (persistent ids carrying a view key,
// offset and size) and a sys_info saying big-endian, which PyTorch ignores (storage bytes are
// always little-endian). Python writes each file by the format's layout, reads it back with its
// own torch.load (the oracle), and the same file loads here to the same values and aliasing.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { expectLoadRefused } from './helpers/load-errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-pickle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Expected {
  values: Record<string, unknown>;
  dtypes: Record<string, string>;
  /** after whole[4] = 100 on the loaded object, part[0][0] (100 when the view aliases its root) */
  aliased?: number;
}
let py: Record<string, Expected>;

beforeAll(() => {
  py = runPython<Record<string, Expected>>(`
import collections, pickle, struct
MAGIC, PROTOCOL = 0x1950a86a20f9469cfc6c, 1001

class Pid:
    def __init__(self, pid): self.pid = pid

class Rebuild:
    def __init__(self, pid, offset, size, stride): self.args = (pid, offset, size, stride)
    def __reduce__(self):
        pid, offset, size, stride = self.args
        return (torch._utils._rebuild_tensor_v2, (pid, offset, size, stride, False, collections.OrderedDict()))

def write(path, obj, roots, little_endian=True):
    with open(path, 'wb') as f:
        for v in (MAGIC, PROTOCOL, dict(protocol_version=PROTOCOL, little_endian=little_endian, type_sizes=dict(short=2, int=4, long=8))):
            pickle.dump(v, f, protocol=2)
        p = pickle.Pickler(f, protocol=2)
        p.persistent_id = lambda o: o.pid if isinstance(o, Pid) else None
        p.dump(obj)
        pickle.dump([k for k, _ in roots], f, protocol=2)
        for _, t in roots:
            f.write(struct.pack('<q', t.numel()))
            f.write(t.numpy().tobytes())

def describe(path):
    x = torch.load(path)
    out = {'values': {k: v.tolist() for k, v in x.items()}, 'dtypes': {k: str(v.dtype).replace('torch.', '') for k, v in x.items()}}
    if 'part' in x:
        x['whole'][4] = 100
        out['aliased'] = x['part'][0][0].item()
    return out

root = torch.arange(10, dtype=torch.float32)
longs = torch.arange(-3, 3, dtype=torch.int64)
whole = Pid(('storage', torch.FloatStorage, '0', 'cpu', 10, None))
part = Pid(('storage', torch.FloatStorage, '0', 'cpu', 10, ('7', 3, 5)))
write('${dir}/views.pt', {'whole': Rebuild(whole, 0, (10,), (1,)), 'part': Rebuild(part, 1, (2, 2), (2, 1)),
                          'again': Rebuild(part, 0, (5,), (1,))}, [('0', root)])
write('${dir}/big-endian-sys-info.pt', {'f': Rebuild(whole, 2, (3,), (2,)), 'l': Rebuild(Pid(('storage', torch.LongStorage, '1', 'cpu', 6, None)), 0, (6,), (1,))},
      [('0', root), ('1', longs)], little_endian=False)
write('${dir}/view-outside.pt', {'bad': Rebuild(Pid(('storage', torch.FloatStorage, '0', 'cpu', 10, ('7', 8, 5))), 0, (1,), (1,))}, [('0', root)])
result = {name: describe('${dir}/' + name + '.pt') for name in ['views', 'big-endian-sys-info']}
`);
});

function loaded(x: Record<string, torch.Tensor>): Expected {
  const out: Expected = {
    values: Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v.tolist()])),
    dtypes: Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v.dtype.name])),
  };
  if ('part' in x) {
    x.whole.index(4).fill_(100);
    out.aliased = x.part.index(0, 0).item() as number;
  }
  return out;
}

describe.each(['views', 'big-endian-sys-info'])('%s.pt loads as PyTorch loads it', (name) => {
  const file = () => path.join(dir, `${name}.pt`);
  test('sync, from a path', () => {
    expect(loaded(torch.loadSync(file()) as Record<string, torch.Tensor>)).toEqual(py[name]);
  });
  test('async, from a Buffer', async () => {
    expect(loaded((await torch.load(fs.readFileSync(file()))) as Record<string, torch.Tensor>)).toEqual(py[name]);
  });
});

test('a storage view outside its root is a TorchError', () =>
  expectLoadRefused(path.join(dir, 'view-outside.pt'), /storage view 7 \[8, \+5\) lies outside its root of 10 elements/));
