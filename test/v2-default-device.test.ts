// torch.setDefaultDevice / torch.getDefaultDevice (PyTorch 2.0 / 2.3): factories given no device use
// it, the *Like factories follow their input, an explicit device wins. The oracle (1.13) lacks the
// switch, so Python gives the devices of the same calls with device= passed explicitly, which is what
// 2.x's device mode does (torch/utils/_device.py). 'meta' stands in for CUDA on CPU-only machines.
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';

const CALLS: [string, string, () => torch.Tensor][] = [
  ['zeros', "torch.zeros(2, 3, device=D)", () => torch.zeros(2, 3)],
  ['ones', "torch.ones([2], device=D)", () => torch.ones([2])],
  ['empty', "torch.empty(4, device=D)", () => torch.empty(4)],
  ['full', "torch.full([2], 1.5, device=D)", () => torch.full([2], 1.5)],
  ['rand', "torch.rand(3, device=D)", () => torch.rand(3)],
  ['randn', "torch.randn(3, device=D)", () => torch.randn(3)],
  ['randint', "torch.randint(5, (3,), device=D)", () => torch.randint(5, [3])],
  ['arange', "torch.arange(5, device=D)", () => torch.arange(5)],
  ['linspace', "torch.linspace(0, 1, 5, device=D)", () => torch.linspace(0, 1, 5)],
  ['eye', "torch.eye(3, device=D)", () => torch.eye(3)],
  ['tensor', "torch.tensor([1.0, 2.0], device=D)", () => torch.tensor([1.0, 2.0])],
  ['asTensor', "torch.as_tensor([1, 2], device=D)", () => torch.asTensor([1, 2])],
  ['zerosLike follows its input', "torch.zeros_like(torch.zeros(2))", () => torch.zerosLike(CPU)],
  ['fullLike follows its input', "torch.full_like(torch.zeros(2), 3)", () => torch.fullLike(CPU, 3)],
  ['an explicit device wins', "torch.zeros(2, device='cpu')", () => torch.zeros(2, { device: 'cpu' })],
  ['nn.Linear parameters', "torch.nn.Linear(2, 3, device=D).weight", () => new nn.Linear(2, 3).weight],
];
const CPU = torch.zeros(2);

const PY = runPython<{ devices: string[]; cpu: string }>(`
D = 'meta'
result = dict(devices=[str(eval(c).device) for c in ${JSON.stringify(CALLS.map((c) => c[1]))}], cpu=str(torch.device('cpu')))
`);

/** Runs fn with the default device set, restoring the CPU default whatever happens. */
function withDefault<T>(device: string, fn: () => T): T {
  torch.setDefaultDevice(device);
  try {
    return fn();
  } finally {
    torch.setDefaultDevice(null);
  }
}

describe('torch.setDefaultDevice (2.0) / getDefaultDevice (2.3)', () => {
  test('unset: cpu', () => {
    expect(String(torch.getDefaultDevice())).toBe(PY.cpu);
    expect(torch.zeros(1).device.type).toBe('cpu');
  });
  CALLS.forEach(([label], i) => {
    test(`with 'meta' as default: ${label}`, () => {
      expect(withDefault('meta', () => String(CALLS[i][2]().device))).toBe(PY.devices[i]);
    });
  });
  test('getDefaultDevice returns what was set; null restores cpu', () => {
    expect(withDefault('meta', () => String(torch.getDefaultDevice()))).toBe('meta');
    expect(String(torch.getDefaultDevice())).toBe('cpu');
    expect(torch.ones(2).device.type).toBe('cpu');
  });
  (torch.cuda.isAvailable() ? test : test.skip)('cuda: factories land on the current CUDA device, getDefaultDevice names its index', () => {
    const [got, dev] = withDefault('cuda', () => [String(torch.randn(2).device), String(torch.getDefaultDevice())]);
    expect(got).toBe(`cuda:${torch.cuda.currentDevice()}`);
    expect(dev).toBe(`cuda:${torch.cuda.currentDevice()}`);
  });
});
