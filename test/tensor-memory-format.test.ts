// torch.channelsLast and friends: contiguous({memoryFormat}) and model.to({memoryFormat}) give
// PyTorch's strides, and a channels-last conv computes the same values.
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';

const want = runPython<{ x: number[]; x3: number[]; w: number[]; b: number[]; codes: number[]; cloned: number[][]; moved: number[][] }>(`
from torch import nn
x = torch.zeros(2, 3, 4, 5).contiguous(memory_format=torch.channels_last)
x3 = torch.zeros(2, 3, 4, 5, 6).contiguous(memory_format=torch.channels_last_3d)
m = nn.Conv2d(3, 4, 3).to(memory_format=torch.channels_last)
result = dict(x=list(x.stride()), x3=list(x3.stride()), w=list(m.weight.stride()), b=list(m.bias.stride()),
              codes=[0, 1, 2, 3])
t = x[:, :, 1:3]  # a channels-last view that is not dense
result['cloned'] = [list(t.clone().stride()), list(t.clone(memory_format=torch.contiguous_format).stride()),
                    list(torch.clone(x, memory_format=torch.contiguous_format).stride()),
                    list(torch.zeros(2, 3, 4, 5).clone(memory_format=torch.channels_last).stride())]
z = torch.zeros(2, 3, 4, 5)
result['moved'] = [list(z.to(memory_format=torch.channels_last).stride()),
                   list(z.to(torch.float64, memory_format=torch.channels_last).stride()),
                   list(x.to(torch.float64).stride()), list(x.to(torch.float64, memory_format=torch.contiguous_format).stride())]
`);

test('contiguous({memoryFormat}) strides equal PyTorch', () => {
  expect(torch.zeros(2, 3, 4, 5).contiguous({ memoryFormat: torch.channelsLast }).stride()).toEqual(want.x);
  expect(torch.zeros(2, 3, 4, 5, 6).contiguous({ memoryFormat: torch.channelsLast3d }).stride()).toEqual(want.x3);
  expect([torch.contiguousFormat, torch.preserveFormat, torch.channelsLast, torch.channelsLast3d]).toEqual(want.codes);
});

test('clone({memoryFormat}) strides equal PyTorch (preserve_format by default)', () => {
  const x = torch.zeros(2, 3, 4, 5).contiguous({ memoryFormat: torch.channelsLast });
  const t = x.narrow(2, 1, 2);
  expect([
    t.clone().stride(),
    t.clone({ memoryFormat: torch.contiguousFormat }).stride(),
    torch.clone(x, { memoryFormat: torch.contiguousFormat }).stride(),
    torch.zeros(2, 3, 4, 5).clone({ memoryFormat: torch.channelsLast }).stride(),
  ]).toEqual(want.cloned);
});

test('Tensor.to({ memoryFormat }) strides equal PyTorch; an unknown format is a TorchError', () => {
  const z = torch.zeros(2, 3, 4, 5);
  const x = z.contiguous({ memoryFormat: torch.channelsLast });
  expect([
    z.to({ memoryFormat: torch.channelsLast }).stride(),
    z.to(torch.float64, { memoryFormat: torch.channelsLast }).stride(),
    x.to(torch.float64).stride(),
    x.to(torch.float64, { memoryFormat: torch.contiguousFormat }).stride(),
  ]).toEqual(want.moved);
  expect(() => z.to({ memoryFormat: 7 })).toThrow(/memoryFormat must be one of/);
});

test('model.to({memoryFormat}) lays 4-d parameters out channels-last, keeps them Parameters, and computes the same', () => {
  const m = new nn.Conv2d(3, 4, 3);
  const w = m.weight;
  const x = torch.randn(1, 3, 6, 6);
  const before = m(x);
  m.to({ memoryFormat: torch.channelsLast });
  expect(m.weight).toBe(w);
  expect(m.weight.stride()).toEqual(want.w);
  expect(m.bias!.stride()).toEqual(want.b);
  expect(torch.allclose(m(x.contiguous({ memoryFormat: torch.channelsLast })), before, { atol: 1e-6 })).toBe(true);
});
