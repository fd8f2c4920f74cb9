// Batches cross threads without copies: collate in a worker stacks into shared memory, other tensors
// travel as transferred buffers, and the receiving side builds tensors over that same memory.
import * as torch from '../lib';
import { pack, unpack, markShared } from '../lib/data/transfer';

test('a shared-memory tensor travels as its SharedArrayBuffer, and the rebuilt tensor aliases it', () => {
  const sab = new SharedArrayBuffer(6 * 4);
  const t = markShared(torch.frombuffer(sab, { dtype: 'float32' }).view(2, 3), sab);
  t.copy_(torch.arange(6).float().view(2, 3));
  const transfer: ArrayBuffer[] = [];
  const packed = pack({ x: t, y: [t, 'label'] }, transfer) as { x: { buffer: unknown } };
  expect(transfer).toEqual([]); // nothing to move: the memory is shared
  expect(packed.x.buffer).toBe(sab);
  const out = unpack(structuredClone(packed)) as { x: torch.Tensor; y: [torch.Tensor, string] };
  expect(out.x.shape).toEqual([2, 3]);
  expect(out.y[1]).toBe('label');
  new Float32Array(sab)[0] = 42; // one memory: the write shows in the received tensor
  expect(out.x.tolist()).toEqual([[42, 1, 2], [3, 4, 5]]);
});

test('other tensors move as one transferred ArrayBuffer each; every dtype and shape round-trips', () => {
  const tensors = [
    torch.arange(12).view(3, 4), torch.randn(2, 2, { dtype: 'float64' }), torch.ones(3, { dtype: 'float16' }),
    torch.tensor([true, false]), torch.tensor(7), torch.zeros(0, 3), torch.arange(6).view(2, 3).t(),
  ];
  const transfer: ArrayBuffer[] = [];
  const packed = pack(new Map([['t', tensors]]), transfer);
  expect(transfer.length).toBe(tensors.length);
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(packed, transfer); // moved: the sender's buffers are detached afterwards
  expect(transfer.every((b) => b.byteLength === 0)).toBe(true);
  port1.close();
  port2.close();
  const out = (unpack(structuredClone(pack(new Map([['t', tensors]]), []))) as Map<string, torch.Tensor[]>).get('t')!;
  expect(out.map((t) => [t.shape, String(t.dtype), t.tolist()])).toEqual(tensors.map((t) => [t.shape, String(t.dtype), t.tolist()]));
});
