// Bad input raises TorchError with libtorch's message (no C++ backtrace); the process survives.
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as torch from '../lib';
import { aten } from '../lib/tensor/aten';
import { pyType } from '../lib/errors';
import { errorOf } from './helpers/errors';
import { runPython } from './helpers/python';

describe('TorchError from libtorch', () => {
  test('shape mismatch', () => {
    const e = errorOf(() => torch.ones(2, 3).add(torch.ones(4)));
    expect(e.message).toBe('The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1');
    expect(e.name).toBe('TorchError');
  });

  test('matmul shape mismatch names the shapes', () => {
    expect(errorOf(() => torch.ones(2, 3).matmul(torch.ones(4, 5))).message).toMatch(/mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)/);
  });

  test('dtype mismatch', () => {
    const e = errorOf(() => torch.ones(2, 2).mm(torch.ones(2, 2, { dtype: torch.float64 })));
    expect(e.message).toMatch(/expected (scalar type|mat1 and mat2 to have the same dtype)/);
  });

  test('index out of range', () => {
    expect(errorOf(() => torch.ones(3).select(0, 5)).message).toMatch(/select\(\): index 5 out of range for tensor of size \[3\] at dimension 0/);
  });

  test('invalid view', () => {
    expect(errorOf(() => torch.ones(6).view(4, 2)).message).toMatch(/shape '\[4, 2\]' is invalid for input of size 6/);
  });

  test('messages carry no C++ backtrace or source location', () => {
    const e = errorOf(() => torch.ones(2, 3).add(torch.ones(4)));
    expect(e.message).not.toMatch(/Exception raised from|frame #|\.cpp/);
  });

  test('errors from the generic operator path name the operator', () => {
    const e = errorOf(() => aten('cat', '')([[torch.ones(2, 2), torch.ones(3)], 0]));
    expect(e.message).toMatch(/^aten::cat: /);
  });

  test('wrong device', () => {
    if (torch.cuda.isAvailable()) {
      expect(errorOf(() => torch.ones(2).add(torch.ones(2).cuda())).message).toMatch(/Expected all tensors to be on the same device/);
    } else {
      expect(errorOf(() => torch.ones(2).to('cuda')).message).toMatch(/not linked with support for cuda devices/);
    }
    expect(errorOf(() => torch.ones(2).to('nonsense:0' as never)).message).toMatch(/nonsense/);
  });

  test('a backward through a graph that was freed', () => {
    const x = torch.ones(2, { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(errorOf(() => y.backward()).message).toMatch(/Trying to backward through the graph a second time/);
  });
});

describe('TorchError for misuse from JS', () => {
  test('use after dispose', () => {
    const t = torch.ones(2);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(errorOf(() => t.add(1)).message).toMatch(/used after dispose/);
    expect(errorOf(() => t.shape).message).toMatch(/used after dispose/);
    expect(errorOf(() => torch.ones(2).add(t)).message).toMatch(/used after dispose/);
    expect(() => t.dispose()).not.toThrow(); // disposing twice is harmless
  });

  test('a string or undefined where a tensor is expected', () => {
    expect(errorOf(() => torch.ones(2).matmul('x' as never)).message).toMatch(/expected a Tensor for other but got (string|undefined)/);
    expect(errorOf(() => torch.add(undefined as never, 1)).message).toBe('torch.add(): expected a Tensor as input but got undefined');
    expect(errorOf(() => torch.ones(2).add('x' as never)).message).toMatch(/expected a Tensor or a number for other/);
    expect(errorOf(() => torch.cat([torch.ones(1), 'x' as never])).message).toMatch(/argument 'tensors' of aten::cat/);
  });

  test('unknown dtype', () => {
    expect(errorOf(() => torch.zeros(2, { dtype: 'float8' as never })).message).toMatch(/unknown dtype: float8/);
    expect(errorOf(() => torch.ones(2).to('quaternion' as never)).message).toMatch(/unknown dtype/);
  });

  test('ragged nested arrays and non-numbers', () => {
    expect(errorOf(() => torch.tensor([[1, 2], [3]])).message).toBe('expected sequence of length 2 at dim 1 (got 1)');
    expect(errorOf(() => torch.tensor(['a'] as never)).message).toMatch(/Could not infer dtype of string/);
  });

  test('missing and unexpected operator arguments', () => {
    expect(errorOf(() => aten('add', 'Tensor')([torch.ones(1)])).message).toMatch(/missing required argument 'other'/);
    expect(errorOf(() => aten('add', 'Tensor')([torch.ones(1), torch.ones(1)], { beta: 2 })).message).toMatch(/unexpected option 'beta'/);
    expect(errorOf(() => aten('neg', '')([torch.ones(1), 1, 2])).message).toMatch(/takes 1 positional arguments but 3 were given/);
  });

  test('an option the fast-path methods do not take is an error, not ignored', () => {
    const x = torch.ones(2, 3);
    // what JS callers (or casts) can pass past the types: Python raises TypeError for each
    const loose = (o: object) => o as never;
    expect(errorOf(() => x.add(x, loose({ alpah: 2 }))).message).toBe("add() got an unexpected keyword argument 'alpah'");
    expect(errorOf(() => torch.sub(x, 1, loose({ alpah: 2 }))).message).toMatch(/^sub\(\) got an unexpected keyword argument 'alpah'/);
    expect(errorOf(() => torch.mul(x, 1, loose({ outt: x }))).message).toMatch(/^mul\(\) got an unexpected keyword argument 'outt'/);
    expect(errorOf(() => x.sub(1, loose({ out: x }))).message).toBe("sub() got an unexpected keyword argument 'out'"); // Python: methods take no out=
    expect(errorOf(() => x.sum(1, loose({ keepDim: true }))).message).toMatch(/sum\(\) got an unexpected keyword argument 'keepDim'/);
    expect(errorOf(() => x.mean(1, loose({ keepDim: true }))).message).toMatch(/'keepDim'/);
    expect(errorOf(() => x.argmax(1, loose({ keepDim: true }))).message).toMatch(/'keepDim'/);
    expect(errorOf(() => x.div(2, loose({ rounding_mode: 'floor' }))).message).toMatch(/'rounding_mode'/);
    expect(errorOf(() => x.contiguous(loose({ memory_format: 0 }))).message).toMatch(/'memory_format'/);
    expect(errorOf(() => x.copy_(x, loose({ non_blocking: true }))).message).toMatch(/'non_blocking'/);
    expect(errorOf(() => x.indexPut_([0], 1, loose({ accumulated: true }))).message).toMatch(/'accumulated'/);
    expect(errorOf(() => x.softmax(1, loose({ dim: 0 }))).message).toBe("softmax() got multiple values for argument 'dim'");
    expect(errorOf(() => x.clone(loose({ memory_format: 0 }))).message).toMatch(/clone\(\) got .* 'memory_format'/);
    expect(errorOf(() => x.sum(1, loose({ dim: 0 }))).message).toBe("sum() got multiple values for argument 'dim'");
    expect(errorOf(() => x.softmax(loose({ dtype: torch.float64 }))).message).toBe("softmax() missing required argument 'dim'");
    // the keys they do take still work
    expect(x.add(x, { alpha: 2 }).sum().item()).toBe(18);
    expect(x.sum(1, { keepdim: true }).shape).toEqual([2, 1]);
  });

  test('TypedArray of the wrong size for the shape', () => {
    expect(errorOf(() => torch.fromTypedArray(new Float32Array(3), [2, 2])).message).toMatch(/holds 12 bytes but shape \[2, 2\]/);
  });
});

describe("libtorch's warnings", () => {
  test('reach JS as process.emitWarning(message, "UserWarning"), once per message, instead of glog on stderr', () => {
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const add = aten('add', 'out');
      const a = torch.ones(3);
      add([a, a], { out: torch.zeros(2) }); // TORCH_WARN: an out= tensor of the wrong shape is resized
      add([a, a], { out: torch.zeros(2) });
      const resized = emit.mock.calls.filter(([m]) => /An output with one or more elements was resized since it had shape \[2\]/.test(String(m)));
      expect(resized.length).toBe(1);
      expect(resized[0][1]).toBe('UserWarning');
      expect(String(resized[0][0])).toMatch(/\(Triggered internally at .*Resize\.cpp:\d+\.\)$/);
    } finally {
      emit.mockRestore();
    }
  });

  test('a process sees the UserWarning on stderr as Node prints warnings, and no glog line', () => {
    const script = `const torch = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'lib'))});
      torch.ones(2, 3, 4).T;`; // TORCH_WARN_ONCE: x.T beyond 2-D is deprecated
    const { stderr } = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(stderr).toMatch(/UserWarning: The use of `x.T` on tensors of dimension other than 2/);
    expect(stderr).not.toMatch(/InitGoogleLogging|TensorShape\.cpp:\d+\] Warning/);
  });
});


test("pyType: Python's type() of the JS values that stand for Python's, as messages print it", () => {
  const want = runPython<string[]>(`result = [repr(type(v)) for v in [1, 1.5, 'a', True, None, [1], (1,), {'a': 1}, lambda: 0]]`);
  const got = [1, 1.5, 'a', true, null, [1], null, { a: 1 }, () => 0].map((v, i) => (i === 6 ? pyType([1], 'tuple') : pyType(v)));
  expect(got).toEqual(want);
});
