// torch.autograd.detect_anomaly / set_detect_anomaly against PyTorch: the NaN check's error, the
// failing node named with the JS stack of the forward call that made it (double backward too), the
// switches' state in sync and async scopes; and torch.set_warn_always / set_flush_denormal.
import * as torch from '../lib';
import { messageOf } from './helpers/errors';
import { runPython } from './helpers/python';

/** fn's result and the warnings it emitted. */
async function withWarnings<T>(fn: () => T): Promise<[T, string[]]> {
  const seen: string[] = [];
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => {
    seen.push(String(w instanceof Error ? w.message : w));
  });
  try {
    return [fn(), seen];
  } finally {
    spy.mockRestore();
  }
}

const py = runPython<Record<string, unknown>>(`
import warnings
def msg(f):
    try:
        f(); return 'no error'
    except Exception as e:
        return str(e)
def nan_backward():
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    (x.sqrt() * 0).sum().backward()  # 0 * inf = nan in SqrtBackward0... grad of sqrt at 0 is inf, times 0 -> nan
def nan_mul():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * float('nan')
    y.sum().backward()
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    with torch.autograd.detect_anomaly():
        inside = [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()]
        e_sqrt = msg(nan_backward)
        e_mul = msg(nan_mul)
    detect_warning = str(w[0].message)
    failing = [str(x.message).split('\\n')[0] for x in w[1:]]
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter('always')
    with torch.autograd.detect_anomaly():
        x = torch.tensor([0.0, 4.0], requires_grad=True)
        g, = torch.autograd.grad(x.sqrt().sum(), [x], create_graph=True)
        e_double = msg(lambda: g.mul(0).sum().backward())
    double = [str(x.message).strip().split('\\n')[0] for x in w[1:]]
warnings.simplefilter('ignore')
with torch.autograd.detect_anomaly(check_nan=False):
    no_check = [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled(), msg(nan_mul)]
outside = [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled(), msg(nan_mul)]
torch.autograd.set_detect_anomaly(True)
set_on = torch.is_anomaly_enabled()
torch.autograd.set_detect_anomaly(False)
torch.set_anomaly_enabled(True, False)
direct = [torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled()]
torch.set_anomaly_enabled(False)
warn_always = [torch.is_warn_always_enabled()]
torch.set_warn_always(True); warn_always.append(torch.is_warn_always_enabled()); torch.set_warn_always(False)
result = dict(inside=inside, e_sqrt=e_sqrt, e_mul=e_mul, detect_warning=detect_warning, failing=failing,
  no_check=no_check, outside=outside, e_double=e_double, double=double, set_on=set_on, direct=direct, warn_always=warn_always,
  bad_mode=msg(lambda: torch.autograd.set_detect_anomaly('yes')))
`);

function nanBackward(): void {
  const x = torch.tensor([0.0, 1.0], { dtype: torch.float32, requiresGrad: true });
  x.sqrt().mul(0).sum().backward();
}

function nanMul(): void {
  const x = torch.tensor([1.0, 2.0], { dtype: torch.float32, requiresGrad: true });
  x.mul(NaN).sum().backward();
}

describe('detectAnomaly', () => {
  test('NaN in a backward output raises Python\'s error naming the node', async () => {
    let inside: unknown;
    let errors: string[] = [];
    const [, warnings] = await withWarnings(() =>
      torch.autograd.detectAnomaly(() => {
        inside = [torch.isAnomalyEnabled(), torch.isAnomalyCheckNanEnabled()];
        errors = [messageOf(nanBackward), messageOf(nanMul)];
      }),
    );
    expect(inside).toEqual(py.inside);
    expect(errors).toEqual([py.e_sqrt, py.e_mul]);
    expect(warnings[0]).toBe(py.detect_warning);
    expect(warnings.slice(1).map((w) => w.split('\n')[0])).toEqual(py.failing);
    expect([torch.isAnomalyEnabled(), torch.isAnomalyCheckNanEnabled()]).toEqual([false, true]);
  });

  test('the failing node comes with the JS stack of the forward call that made it', async () => {
    const [, seen] = await withWarnings(() =>
      torch.autograd.detectAnomaly(() => {
        messageOf(function forwardThatMakesNan() {
          const x = torch.tensor([3.0, 2.0], { dtype: torch.float32, requiresGrad: true });
          x.mul(NaN).sum().backward();
        });
      }),
    );
    const report = seen.find((m) => m.startsWith('Error detected in'));
    expect(report?.split('\n')[0]).toBe('Error detected in MulBackward0. Traceback of forward call that caused the error:');
    expect(report).toMatch(/forwardThatMakesNan .*autograd-anomaly-mode\.test\.ts/);
    expect(report).not.toMatch(/[\\/]lib[\\/]tensor[\\/]/); // torch-node's own frames are left out
  });

  test('double backward: the node that induced the failing one is reported too', async () => {
    let error = '';
    const [, seen] = await withWarnings(() =>
      torch.autograd.detectAnomaly(() => {
        const x = torch.tensor([0.0, 4.0], { dtype: torch.float32, requiresGrad: true });
        const [g] = torch.autograd.grad(x.sqrt().sum(), [x], { createGraph: true }) as torch.Tensor[];
        error = messageOf(() => g.mul(0).sum().backward());
      }),
    );
    expect(error).toBe(py.e_double);
    expect(seen.map((m) => m.trim().split('\n')[0])).toEqual(py.double);
  });

  test('checkNan false, the mode outside, setDetectAnomaly and setAnomalyEnabled', async () => {
    const noCheck = torch.autograd.detectAnomaly(() => [torch.isAnomalyEnabled(), torch.isAnomalyCheckNanEnabled(), messageOf(nanMul)], { checkNan: false });
    expect(noCheck).toEqual(py.no_check);
    expect([torch.isAnomalyEnabled(), torch.isAnomalyCheckNanEnabled(), messageOf(nanMul)]).toEqual(py.outside);
    torch.autograd.setDetectAnomaly(true);
    expect(torch.isAnomalyEnabled()).toBe(py.set_on);
    torch.autograd.setDetectAnomaly(false);
    torch.setAnomalyEnabled(true, false);
    expect([torch.isAnomalyEnabled(), torch.isAnomalyCheckNanEnabled()]).toEqual(py.direct);
    torch.setAnomalyEnabled(false);
    expect(messageOf(() => torch.autograd.setDetectAnomaly('yes' as unknown as boolean))).toContain("argument 'mode' must be bool");
  });

  test('an async scope keeps the mode until its promise settles, then restores it', async () => {
    const during = await torch.autograd.setDetectAnomaly(true, async () => {
      await new Promise((r) => setImmediate(r));
      return torch.isAnomalyEnabled();
    });
    expect(during).toBe(true);
    expect(torch.isAnomalyEnabled()).toBe(false);
    await expect(torch.autograd.setDetectAnomaly(true, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(torch.isAnomalyEnabled()).toBe(false);
  });
});

describe('setWarnAlways, setFlushDenormal', () => {
  test('warn-always switch reads back as in Python', () => {
    const seen = [torch.isWarnAlwaysEnabled()];
    torch.setWarnAlways(true);
    try {
      seen.push(torch.isWarnAlwaysEnabled());
    } finally {
      torch.setWarnAlways(false);
    }
    expect(seen).toEqual(py.warn_always);
  });

  test('flush denormal: denormals become zero while on (x86 supports it)', () => {
    const tiny = 1e-40; // a float32 denormal
    expect(torch.setFlushDenormal(true)).toBe(true);
    try {
      expect(torch.tensor([tiny], { dtype: torch.float32 }).mul(1).item()).toBe(0);
    } finally {
      torch.setFlushDenormal(false);
    }
    expect(torch.tensor([tiny], { dtype: torch.float32 }).mul(1).item()).not.toBe(0);
  });
});
