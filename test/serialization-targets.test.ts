// torch.save to what Python's torch.save(obj, f) takes besides a path: a file object / io.BytesIO.
// Here: torch.save(obj) / saveSync(obj) return the bytes (a Buffer), torch.save(obj, stream) writes to
// fs.createWriteStream or any { write }. Python's torch.load(weights_only=True) must read each.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPython } from './helpers/python';
import { PY_DESCRIBE, jsDescribe } from './fixtures/serialization/describe';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-targets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function checkpoint() {
  torch.manualSeed(0);
  const base = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
  return {
    epoch: 3,
    model: { weight: torch.randn(4, 3), bias: torch.zeros(4, { dtype: torch.float64 }) },
    views: [base, base.index(1), base.t()],
    ids: torch.tensor([1, 2, 3], { dtype: torch.int64 }),
  };
}

/** Python's description of each file, loaded with weights_only=True (from a BytesIO for the buffer). */
function pythonDescribes(files: string[]): unknown[] {
  return runPython<unknown[]>(`
${PY_DESCRIBE}
import io
result = []
for f in ${JSON.stringify(files)}:
    with open(f, 'rb') as fh:
        result.append(describe(torch.load(io.BytesIO(fh.read()), weights_only=True)))
`);
}

test('save(obj) and saveSync(obj) return bytes Python loads, equal to what a path gets', async () => {
  const obj = checkpoint();
  const asyncBytes = await torch.save(obj);
  const syncBytes = torch.saveSync(obj);
  expect(Buffer.isBuffer(asyncBytes)).toBe(true);
  expect(syncBytes.equals(asyncBytes)).toBe(true);
  await torch.save(obj, path.join(dir, 'path.pt'));
  expect(fs.readFileSync(path.join(dir, 'path.pt')).equals(syncBytes)).toBe(true);
  fs.writeFileSync(path.join(dir, 'buffer.pt'), syncBytes);
  const [py] = pythonDescribes([path.join(dir, 'buffer.pt')]);
  expect(py).toEqual(jsDescribe(obj));
  expect(jsDescribe(torch.loadSync(syncBytes))).toEqual(py);
});

test('save(obj, fs.createWriteStream(f)) writes a file Python loads; the stream stays open', async () => {
  const obj = checkpoint();
  const file = path.join(dir, 'stream.pt');
  const stream = fs.createWriteStream(file);
  await torch.save(obj, stream);
  expect(stream.writableEnded).toBe(false);
  stream.write(Buffer.alloc(0));
  await new Promise<void>((resolve, reject) => stream.end(() => resolve()).on('error', reject));
  const [py] = pythonDescribes([file]);
  expect(py).toEqual(jsDescribe(obj));
});

test('saveSync(obj, { write }) and save(obj, { write }) feed a custom sink; in-place changes after save do not leak in', async () => {
  const obj = checkpoint();
  const expected = jsDescribe(obj);
  const chunks: Uint8Array[] = [];
  torch.saveSync(obj, { write: (c: Uint8Array) => chunks.push(c) });
  obj.model.weight.mul_(0); // after the call: the saved bytes are the values at save time
  const asyncChunks: Uint8Array[] = [];
  await torch.save(obj, { write: async (c: Uint8Array) => void asyncChunks.push(c) });
  fs.writeFileSync(path.join(dir, 'sink.pt'), Buffer.concat(chunks));
  fs.writeFileSync(path.join(dir, 'sink-async.pt'), Buffer.concat(asyncChunks));
  const [before, after] = pythonDescribes([path.join(dir, 'sink.pt'), path.join(dir, 'sink-async.pt')]);
  expect(before).toEqual(expected);
  expect(after).toEqual(jsDescribe(obj));
  expect(before).not.toEqual(after);
});

test('save(obj, await fs.promises.open(f, "w")): the promised writes of a FileHandle are awaited in order', async () => {
  const obj = checkpoint();
  const file = path.join(dir, 'handle.pt');
  const handle = await fs.promises.open(file, 'w');
  await torch.save(obj, handle);
  await handle.close();
  const [py] = pythonDescribes([file]);
  expect(py).toEqual(jsDescribe(obj));
});

test('a stream that fails rejects with a TorchError; a wrong target is refused', async () => {
  const file = path.join(dir, 'missing-dir', 'x.pt');
  const stream = fs.createWriteStream(file);
  await expect(torch.save(checkpoint(), stream)).rejects.toThrow(/cannot write to the stream: ENOENT/);
  expect(() => torch.saveSync({}, 42 as unknown as string)).toThrow(torch.TorchError);
  expect(() => torch.saveSync({}, 42 as unknown as string)).toThrow(/a file path \(string\), a writable stream/);
});
