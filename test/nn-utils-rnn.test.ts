// torch.nn.utils.rnn against PyTorch: PackedSequence, pack/pad round trips (enforceSorted both
// ways, batchFirst both ways, totalLength, paddingValue), padSequence/packSequence/unpadSequence/
// unpackSequence, and nn.RNN / nn.LSTM / nn.GRU on packed input with unsorted lengths: outputs,
// hidden states and the gradients of the inputs, initial states and weights (float64, both sides
// seeded alike), plus Python's error messages and reprs.
import * as torch from '../lib';
import { nn } from '../lib';
import { runPython } from './helpers/python';
import { PY_DESCRIBE, desc, flat, gradTensors, backwardWeighted, mismatch } from './helpers/oracle';

const R = nn.utils.rnn;
const { PackedSequence, packPaddedSequence, padPackedSequence, padSequence, packSequence, unpadSequence, unpackSequence, invertPermutation } = R;
type T = Record<string, torch.Tensor>;

/** Named float64 inputs: values from a fixed LCG in [-1, 1), rounded to 1/1024ths (exact in both languages). */
const SHAPES: Record<string, number[]> = {
  x: [5, 4, 3], // T x B x F
  xb: [4, 5, 3], // B x T x F
  h0: [1, 4, 4],
  c0: [1, 4, 4],
  h2: [4, 4, 4], // (2 layers x 2 directions) x B x H
  hp: [4, 4, 2], // LSTM proj_size=2: h
  cp: [4, 4, 5], // LSTM hidden 5: c
  s1: [5, 3],
  s2: [2, 3],
  s3: [4, 3],
};
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const rand = lcg(2024);
const DATA: Record<string, { shape: number[]; values: number[] }> = {};
for (const [name, shape] of Object.entries(SHAPES)) {
  const n = shape.reduce((p, d) => p * d, 1);
  DATA[name] = { shape, values: Array.from({ length: n }, () => Math.round((2 * rand() - 1) * 1024) / 1024 + 0) };
}
function inputs(names: string[]): T {
  const t: T = {};
  for (const n of names) t[n] = torch.tensor(DATA[n].values, { dtype: torch.float64 }).reshape(DATA[n].shape).requiresGrad_();
  return t;
}

/** A PackedSequence as the tuple Python's is: [data, batch_sizes, sorted_indices, unsorted_indices]. */
function plain(o: unknown): unknown {
  if (o instanceof PackedSequence) return [...o].map(plain);
  if (Array.isArray(o)) return o.map(plain);
  return o;
}

const UNSORTED = '[3, 5, 2, 4]';
const unsorted = [3, 5, 2, 4];

/** [label, Python statements assigning `out` (and `m` for a module), inputs in scope, the same here] */
type Case = [string, string, (t: T) => { out: unknown; m?: nn.Module }];

const packCases: Case[] = [
  ['packPaddedSequence, sorted lengths', 'out = R.pack_padded_sequence(x, [5, 4, 2, 1])', (t) => ({ out: packPaddedSequence(t.x, [5, 4, 2, 1]) })],
  [
    'packPaddedSequence, unsorted tensor lengths, enforceSorted false',
    'out = R.pack_padded_sequence(x, torch.tensor([3, 5, 2, 4]), enforce_sorted=False)',
    (t) => ({ out: packPaddedSequence(t.x, torch.tensor(unsorted), { enforceSorted: false }) }),
  ],
  [
    'packPaddedSequence, batchFirst, unsorted (positional options)',
    `out = R.pack_padded_sequence(xb, ${UNSORTED}, True, False)`,
    (t) => ({ out: packPaddedSequence(t.xb, unsorted, true, false) }),
  ],
  [
    'padPackedSequence(packPaddedSequence) round trip, unsorted',
    `out = R.pad_packed_sequence(R.pack_padded_sequence(x, ${UNSORTED}, enforce_sorted=False))`,
    (t) => ({ out: padPackedSequence(packPaddedSequence(t.x, unsorted, { enforceSorted: false })) }),
  ],
  [
    'round trip batchFirst both ways, paddingValue, totalLength',
    `out = R.pad_packed_sequence(R.pack_padded_sequence(xb, ${UNSORTED}, batch_first=True, enforce_sorted=False), batch_first=True, padding_value=-1.0, total_length=7)`,
    (t) => ({
      out: padPackedSequence(packPaddedSequence(t.xb, unsorted, { batchFirst: true, enforceSorted: false }), { batchFirst: true, paddingValue: -1, totalLength: 7 }),
    }),
  ],
  [
    'pack batchFirst, pad time-first with totalLength (sorted)',
    'out = R.pad_packed_sequence(R.pack_padded_sequence(xb, [5, 4, 2, 1], batch_first=True), total_length=6)',
    (t) => ({ out: padPackedSequence(packPaddedSequence(t.xb, [5, 4, 2, 1], { batchFirst: true }), { totalLength: 6 }) }),
  ],
  ['padSequence', 'out = R.pad_sequence([s1, s2, s3])', (t) => ({ out: padSequence([t.s1, t.s2, t.s3]) })],
  [
    'padSequence batchFirst, paddingValue',
    'out = R.pad_sequence([s1, s2, s3], batch_first=True, padding_value=0.5)',
    (t) => ({ out: padSequence([t.s1, t.s2, t.s3], { batchFirst: true, paddingValue: 0.5 }) }),
  ],
  ['packSequence, enforceSorted false', 'out = R.pack_sequence([s1, s2, s3], enforce_sorted=False)', (t) => ({ out: packSequence([t.s1, t.s2, t.s3], { enforceSorted: false }) })],
  ['packSequence, sorted', 'out = R.pack_sequence([s1, s3, s2])', (t) => ({ out: packSequence([t.s1, t.s3, t.s2]) })],
  ['unpackSequence(packSequence)', 'out = R.unpack_sequence(R.pack_sequence([s2, s1, s3], enforce_sorted=False))', (t) => ({ out: unpackSequence(packSequence([t.s2, t.s1, t.s3], { enforceSorted: false })) })],
  [
    'unpadSequence(padSequence), time-first',
    'out = R.unpad_sequence(R.pad_sequence([s1, s2, s3]), torch.tensor([5, 2, 4]))',
    (t) => ({ out: unpadSequence(padSequence([t.s1, t.s2, t.s3]), torch.tensor([5, 2, 4])) }),
  ],
  [
    'unpadSequence batchFirst, list lengths',
    'out = R.unpad_sequence(R.pad_sequence([s1, s2, s3], batch_first=True), [5, 2, 4], batch_first=True)',
    (t) => ({ out: unpadSequence(padSequence([t.s1, t.s2, t.s3], { batchFirst: true }), [5, 2, 4], { batchFirst: true }) }),
  ],
];

/** runs m on packed input and returns everything, padded output included */
const rnnCases: Case[] = [
  [
    'LSTM(3, 4) with (h0, c0), unsorted lengths',
    `torch.manual_seed(0)
m = nn.LSTM(3, 4).double()
o, (h, c) = m(R.pack_padded_sequence(x, ${UNSORTED}, enforce_sorted=False), (h0, c0))
out = [o, h, c, R.pad_packed_sequence(o)]`,
    (t) => {
      torch.manualSeed(0);
      const m = new nn.LSTM(3, 4).double();
      const [o, [h, c]] = m(packPaddedSequence(t.x, unsorted, { enforceSorted: false }), [t.h0, t.c0]);
      return { m, out: [o, h, c, padPackedSequence(o)] };
    },
  ],
  [
    'LSTM(3, 5, proj_size=2, num_layers=2, bidirectional, batch_first), no state, unsorted',
    `torch.manual_seed(0)
m = nn.LSTM(3, 5, proj_size=2, num_layers=2, bidirectional=True, batch_first=True).double()
o, (h, c) = m(R.pack_padded_sequence(xb, ${UNSORTED}, batch_first=True, enforce_sorted=False))
out = [o, h, c, R.pad_packed_sequence(o, batch_first=True)]`,
    (t) => {
      torch.manualSeed(0);
      const m = new nn.LSTM(3, 5, { projSize: 2, numLayers: 2, bidirectional: true, batchFirst: true }).double();
      const [o, [h, c]] = m(packPaddedSequence(t.xb, unsorted, { batchFirst: true, enforceSorted: false }));
      return { m, out: [o, h, c, padPackedSequence(o, { batchFirst: true })] };
    },
  ],
  [
    'LSTM(3, 5, proj_size=2, num_layers=2, bidirectional) with (h, c), unsorted',
    `torch.manual_seed(0)
m = nn.LSTM(3, 5, 2, proj_size=2, bidirectional=True).double()
o, (h, c) = m(R.pack_padded_sequence(x, ${UNSORTED}, enforce_sorted=False), (hp, cp))
out = [o, h, c]`,
    (t) => {
      torch.manualSeed(0);
      const m = new nn.LSTM(3, 5, 2, { projSize: 2, bidirectional: true }).double();
      const [o, [h, c]] = m(packPaddedSequence(t.x, unsorted, { enforceSorted: false }), [t.hp, t.cp]);
      return { m, out: [o, h, c] };
    },
  ],
  [
    'GRU(3, 4, 2, bidirectional) with h0, unsorted',
    `torch.manual_seed(0)
m = nn.GRU(3, 4, 2, bidirectional=True).double()
o, h = m(R.pack_padded_sequence(x, ${UNSORTED}, enforce_sorted=False), h2)
out = [o, h, R.pad_packed_sequence(o, total_length=6)]`,
    (t) => {
      torch.manualSeed(0);
      const m = new nn.GRU(3, 4, 2, { bidirectional: true }).double();
      const [o, h] = m(packPaddedSequence(t.x, unsorted, { enforceSorted: false }), t.h2);
      return { m, out: [o, h, padPackedSequence(o, { totalLength: 6 })] };
    },
  ],
  [
    'GRU(3, 4, batch_first) on sorted packSequence input, no state',
    `torch.manual_seed(0)
m = nn.GRU(3, 4, batch_first=True).double()
o, h = m(R.pack_sequence([s1, s3, s2]))
out = [o, h, R.pad_packed_sequence(o, batch_first=True)]`,
    (t) => {
      torch.manualSeed(0);
      const m = new nn.GRU(3, 4, { batchFirst: true }).double();
      const [o, h] = m(packSequence([t.s1, t.s3, t.s2]));
      return { m, out: [o, h, padPackedSequence(o, { batchFirst: true })] };
    },
  ],
  [
    'GRU(3, 4, 3, dropout=0.5) train on packed input (dropout draws)',
    `torch.manual_seed(0)
m = nn.GRU(3, 4, 3, dropout=0.5).double()
p = R.pack_padded_sequence(x, ${UNSORTED}, enforce_sorted=False)
torch.manual_seed(1)
o, h = m(p)
out = [o, h]`,
    (t) => {
      torch.manualSeed(0);
      const m = new nn.GRU(3, 4, 3, { dropout: 0.5 }).double();
      const p = packPaddedSequence(t.x, unsorted, { enforceSorted: false });
      torch.manualSeed(1);
      const [o, h] = m(p);
      return { m, out: [o, h] };
    },
  ],
  [
    "RNN(3, 4, nonlinearity='relu') with h0, unsorted",
    `torch.manual_seed(0)
m = nn.RNN(3, 4, nonlinearity='relu').double()
o, h = m(R.pack_padded_sequence(x, ${UNSORTED}, enforce_sorted=False), h0)
out = [o, h]`,
    (t) => {
      torch.manualSeed(0);
      const m = new nn.RNN(3, 4, { nonlinearity: 'relu' }).double();
      const [o, h] = m(packPaddedSequence(t.x, unsorted, { enforceSorted: false }), t.h0);
      return { m, out: [o, h] };
    },
  ],
  [
    'RNN(3, 4, 2, bidirectional) tanh on unsorted packSequence input',
    `torch.manual_seed(0)
m = nn.RNN(3, 4, 2, bidirectional=True).double()
o, h = m(R.pack_sequence([s2, s1, s3], enforce_sorted=False))
out = [o, h, R.unpack_sequence(o)]`,
    (t) => {
      torch.manualSeed(0);
      const m = new nn.RNN(3, 4, 2, { bidirectional: true }).double();
      const [o, h] = m(packSequence([t.s2, t.s1, t.s3], { enforceSorted: false }));
      return { m, out: [o, h, unpackSequence(o)] };
    },
  ],
];

const cases = [...packCases, ...rnnCases];

interface PyResult {
  error?: string;
  out: unknown;
  grads: Record<string, unknown>;
  params: Record<string, unknown> | null;
}

const names = Object.keys(SHAPES);
const expected = runPython<PyResult[]>(`${PY_DESCRIBE}
import warnings
from torch import nn
from torch.nn.utils import rnn as R
warnings.simplefilter('ignore')
DATA = json.loads(${JSON.stringify(JSON.stringify(DATA))})
def run(code):
    t = {n: torch.tensor(d['values'], dtype=torch.float64).reshape(d['shape']).requires_grad_() for n, d in DATA.items()}
    env = dict(torch=torch, nn=nn, R=R, **t)
    exec(code, env)
    out = env['out']
    backward_weighted(tensors(out))
    m = env.get('m')
    return dict(out=desc(out), grads={n: flat(v.grad) if v.grad is not None else None for n, v in t.items()},
                params={k: flat(p.grad) if p.grad is not None else None for k, p in m.named_parameters()} if m is not None else None)
def attempt(code):
    try:
        return run(code)
    except Exception as e:
        return {'error': type(e).__name__ + ': ' + str(e)}
result = [attempt(c) for c in json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => c[1])))})]
`);

describe('torch.nn.utils.rnn against PyTorch (float64: values, input and weight gradients)', () => {
  afterAll(() => console.log(`nn.utils.rnn: ${packCases.length} pack/pad cases and ${rnnCases.length} packed RNN/LSTM/GRU cases checked against PyTorch`));
  cases.forEach(([label, , js], i) => {
    test(label, () => {
      const py = expected[i];
      if (py.error) throw new Error(`PyTorch raised: ${py.error}`);
      const t = inputs(names);
      const { out, m } = js(t);
      const o = plain(out);
      backwardWeighted(gradTensors(o));
      const grads: Record<string, unknown> = {};
      for (const [n, v] of Object.entries(t)) grads[n] = v.grad ? flat(v.grad) : null;
      expect(mismatch(desc(o), py.out, 1e-10, 'out')).toBeNull();
      expect(mismatch(grads, py.grads, 1e-10, 'input grads')).toBeNull();
      if (m) {
        const params: Record<string, unknown> = {};
        for (const [k, p] of m.namedParameters()) params[k] = p.grad ? flat(p.grad) : null;
        expect(Object.keys(params)).toEqual(Object.keys(py.params!));
        expect(mismatch(params, py.params, 1e-10, 'param grads')).toBeNull();
      } else {
        expect(py.params).toBeNull();
      }
    });
  });
});

describe('torch.nn.utils.rnn errors: TorchError with PyTorch messages', () => {
  const z = () => torch.zeros([4, 3, 2]);
  const errors: [string, string, () => unknown][] = [
    ['unsorted lengths with enforceSorted', 'R.pack_padded_sequence(torch.zeros(4, 3, 2), [2, 4, 1])', () => packPaddedSequence(z(), [2, 4, 1])],
    ['a length 0', 'R.pack_padded_sequence(torch.zeros(4, 3, 2), [4, 2, 0])', () => packPaddedSequence(z(), [4, 2, 0])],
    [
      'a length 0, enforceSorted false',
      'R.pack_padded_sequence(torch.zeros(4, 3, 2), [4, 0, 2], enforce_sorted=False)',
      () => packPaddedSequence(z(), [4, 0, 2], { enforceSorted: false }),
    ],
    ['lengths not matching the batch', 'R.pack_padded_sequence(torch.zeros(4, 3, 2), [4, 2])', () => packPaddedSequence(z(), [4, 2])],
    [
      'totalLength below the longest sequence',
      'R.pad_packed_sequence(R.pack_padded_sequence(torch.zeros(4, 3, 2), [4, 2, 1]), total_length=3)',
      () => padPackedSequence(packPaddedSequence(z(), [4, 2, 1]), { totalLength: 3 }),
    ],
    ['padSequence of no sequences', 'R.pad_sequence([])', () => padSequence([])],
    [
      'LSTM on packed input with a wrong hidden batch',
      'nn.LSTM(2, 4)(R.pack_padded_sequence(torch.zeros(4, 3, 2), [4, 2, 1]), (torch.zeros(1, 2, 4), torch.zeros(1, 2, 4)))',
      () => new nn.LSTM(2, 4)(packPaddedSequence(z(), [4, 2, 1]), [torch.zeros([1, 2, 4]), torch.zeros([1, 2, 4])]),
    ],
    [
      'LSTM on packed input with a wrong cell size',
      'nn.LSTM(2, 4)(R.pack_padded_sequence(torch.zeros(4, 3, 2), [4, 2, 1]), (torch.zeros(1, 3, 4), torch.zeros(1, 3, 5)))',
      () => new nn.LSTM(2, 4)(packPaddedSequence(z(), [4, 2, 1]), [torch.zeros([1, 3, 4]), torch.zeros([1, 3, 5])]),
    ],
    [
      'GRU on packed input of the wrong feature size',
      'nn.GRU(5, 4)(R.pack_padded_sequence(torch.zeros(4, 3, 2), [4, 2, 1]))',
      () => new nn.GRU(5, 4)(packPaddedSequence(z(), [4, 2, 1])),
    ],
    [
      'RNN on packed 3-D data',
      'nn.RNN(2, 4)(R.pack_padded_sequence(torch.zeros(4, 3, 2, 2), [4, 2, 1]))',
      () => new nn.RNN(2, 4)(packPaddedSequence(torch.zeros([4, 3, 2, 2]), [4, 2, 1])),
    ],
    [
      'GRU on packed input with a wrong hidden batch (unsorted)',
      'nn.GRU(2, 4)(R.pack_padded_sequence(torch.zeros(4, 3, 2), [2, 4, 1], enforce_sorted=False), torch.zeros(1, 2, 4))',
      () => new nn.GRU(2, 4)(packPaddedSequence(z(), [2, 4, 1], { enforceSorted: false }), torch.zeros([1, 2, 4])),
    ],
  ];
  const messages = runPython<string[]>(`
from torch import nn
from torch.nn.utils import rnn as R
result = []
for c in ${JSON.stringify(errors.map(([, py]) => py))}:
    try:
        eval(c)
        result.append('no error')
    except Exception as e:
        result.append(str(e))
`);
  errors.forEach(([label, , js], i) => {
    test(`${label}: ${messages[i].slice(0, 60)}`, () => {
      expect(messages[i]).not.toBe('no error');
      expect(js).toThrow(torch.TorchError);
      expect(js).toThrow(messages[i]);
    });
  });

  test('unknown keywords raise, naming the camelCase one meant', () => {
    expect(() => packPaddedSequence(z(), [4, 2, 1], { batch_first: true } as never)).toThrow("packPaddedSequence() got an unexpected keyword argument 'batch_first' (did you mean 'batchFirst'?)");
    expect(() => padPackedSequence(packPaddedSequence(z(), [4, 2, 1]), { total_length: 5 } as never)).toThrow(torch.TorchError);
    expect(() => padSequence([z()], { padding_value: 1 } as never)).toThrow("did you mean 'paddingValue'?");
    expect(() => packSequence([z()], { enforce_sorted: false } as never)).toThrow("did you mean 'enforceSorted'?");
  });
});

describe('PackedSequence', () => {
  const reprs: [string, string, () => unknown][] = [
    [
      'the docstring example (unsorted, int64)',
      'R.pack_padded_sequence(torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]]), [2, 1, 3], batch_first=True, enforce_sorted=False)',
      () => packPaddedSequence(torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]]), [2, 1, 3], { batchFirst: true, enforceSorted: false }),
    ],
    ['sorted: None indices', 'R.pack_sequence([torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])])', () => packSequence([torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])])],
    [
      'multi-line float data',
      'R.pack_sequence([torch.tensor([[1.5, 2.0], [1., 2.]]), torch.tensor([[3.0, 1.]])])',
      () => packSequence([torch.tensor([[1.5, 2.0], [1, 2]]), torch.tensor([[3.0, 1]])]),
    ],
    [
      'with grad_fn',
      'R.pack_padded_sequence(torch.tensor([[1., 2.], [3., 0.]], requires_grad=True), [2, 1], batch_first=True)',
      () => packPaddedSequence(torch.tensor([[1, 2], [3, 0]], { dtype: torch.float32, requiresGrad: true }), [2, 1], { batchFirst: true }),
    ],
  ];
  const pyReprs = runPython<string[]>(`
from torch.nn.utils import rnn as R
result = [repr(eval(c)) for c in ${JSON.stringify(reprs.map(([, py]) => py))}]
`);
  reprs.forEach(([label, , js], i) => {
    test(`String(packed) is Python's repr: ${label}`, () => {
      expect(String(js())).toBe(pyReprs[i]);
    });
  });

  test('unpacks as the namedtuple does; exposed as torch.nn.utils.rnn', () => {
    expect(torch.nn.utils.rnn.PackedSequence).toBe(PackedSequence);
    const p = packPaddedSequence(torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]]), [2, 1, 3], { batchFirst: true, enforceSorted: false });
    const [data, batchSizes, sortedIndices, unsortedIndices] = p;
    expect(data).toBe(p.data);
    expect(batchSizes!.tolist()).toEqual([3, 2, 1]);
    expect(sortedIndices!.tolist()).toEqual([2, 0, 1]);
    expect(unsortedIndices!.tolist()).toEqual([1, 2, 0]);
    expect(p.isCuda).toBe(false);
    expect(p.isPinned()).toBe(false);
    expect(invertPermutation(torch.tensor([2, 0, 1]))!.tolist()).toEqual([1, 2, 0]);
    expect(invertPermutation(null)).toBeNull();
  });

  test('the constructor: unsortedIndices from sortedIndices, the [data, batchSizes] form, keywords', () => {
    const data = torch.arange(6);
    const bs = torch.tensor([3, 2, 1]);
    const p = new PackedSequence(data, bs, torch.tensor([2, 0, 1]));
    expect(p.unsortedIndices!.tolist()).toEqual([1, 2, 0]);
    const q = new PackedSequence([data, bs], { sortedIndices: torch.tensor([1, 2, 0]) });
    expect(q.data).toBe(data);
    expect(q.batchSizes).toBe(bs);
    expect(q.unsortedIndices!.tolist()).toEqual([2, 0, 1]);
    const r = new PackedSequence(data, { batchSizes: bs });
    expect(r.sortedIndices).toBeNull();
    expect(r.unsortedIndices).toBeNull();
    expect(() => new PackedSequence(data, { batch_sizes: bs } as never)).toThrow("did you mean 'batchSizes'?");
  });

  test('to / double / float / long convert data only; an unchanged to() returns the same object', () => {
    const p = packSequence([torch.tensor([1.5, 2, 3]), torch.tensor([4, 5.5])]);
    expect(p.to(torch.float32)).toBe(p);
    expect(p.float()).toBe(p);
    expect(p.cpu()).toBe(p);
    const d = p.double();
    expect(d).not.toBe(p);
    expect(d).toBeInstanceOf(PackedSequence);
    expect(d.data.dtype).toBe(torch.float64);
    expect(d.batchSizes).toBe(p.batchSizes);
    expect(d.data.tolist()).toEqual([1.5, 4, 2, 5.5, 3]);
    expect(p.to({ dtype: torch.float64 }).data.dtype).toBe(torch.float64);
    expect(p.long().data.tolist()).toEqual([1, 4, 2, 5, 3]);
    expect(p.to('cpu', torch.float16).data.dtype).toBe(torch.float16);
    const u = packSequence([torch.tensor([1.0]), torch.tensor([4, 5.0])], { enforceSorted: false });
    const v = u.to(torch.float64, { copy: true });
    expect(v.sortedIndices!.tolist()).toEqual([1, 0]);
    expect(v.unsortedIndices!.tolist()).toEqual([1, 0]);
  });

  test('unpadSequence leaves its argument as it was (Python transposes it in place)', () => {
    const padded = padSequence([torch.ones([3, 2]), torch.ones([1, 2])]);
    const parts = unpadSequence(padded, [3, 1]);
    expect(padded.shape).toEqual([3, 2, 2]);
    expect(parts.map((t) => t.shape)).toEqual([
      [3, 2],
      [1, 2],
    ]);
  });

  test('a float32 LSTM trains on packed input; outputs stay packed as the input was', () => {
    torch.manualSeed(0);
    const lstm = new nn.LSTM(3, 4, { batchFirst: true });
    const x = torch.randn([3, 5, 3]);
    const packed = packPaddedSequence(x, [2, 5, 3], { batchFirst: true, enforceSorted: false });
    const [out, [h, c]] = lstm(packed);
    expect(out).toBeInstanceOf(PackedSequence);
    expect(out.batchSizes).toBe(packed.batchSizes);
    expect(out.sortedIndices).toBe(packed.sortedIndices);
    expect(out.data.shape).toEqual([10, 4]);
    expect(h.shape).toEqual([1, 3, 4]);
    expect(c.shape).toEqual([1, 3, 4]);
    const [padded, lengths] = padPackedSequence(out, { batchFirst: true });
    expect(padded.shape).toEqual([3, 5, 4]);
    expect(lengths.tolist()).toEqual([2, 5, 3]);
    // h_n of each sequence is its output at its last step
    expect(mismatch(flat(h.select(0, 0).select(0, 0)), flat(padded.select(0, 0).select(0, 1)), 1e-6)).toBeNull();
    padded.sum().backward();
    expect(lstm.weight_ih_l0.grad!.shape).toEqual([16, 3]);
  });
});
