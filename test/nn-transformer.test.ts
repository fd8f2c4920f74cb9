// Attention and Transformer layers against PyTorch: same-seed init (stacks are deep copies of one
// layer), repr, float64 forward with input and parameter gradients, masks, train mode with
// dropout=0 and eval mode with dropout; the module deep copy they rely on.
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';
import { runPython } from './helpers/python';
import { mismatch } from './helpers/oracle';

type Call = (...a: unknown[]) => unknown;
const call = (m: nn.Module) => m as unknown as Call;
const selfAttn = (m: nn.Module, xs: torch.Tensor[]) => call(m)(xs[0], xs[0], xs[0]);
const sharedKv = (m: nn.Module, xs: torch.Tensor[]) => call(m)(xs[0], xs[1], xs[1]);
const boolTensor = (rows: boolean[][]) => torch.tensor(rows, { dtype: torch.bool });
// 2 sequences of 6 keys, the last 1 and 2 padded
const KPM_PY = 'torch.tensor([[False]*5+[True], [False]*4+[True]*2])';
const kpm = () => boolTensor([[false, false, false, false, false, true], [false, false, false, false, true, true]]);
const causal = (n: number) => nn.Transformer.generateSquareSubsequentMask(n).double();
const CAUSAL_PY = (n: number) => `nn.Transformer.generate_square_subsequent_mask(${n}).double()`;

layerTable('nn attention layers', [
  { label: 'MultiheadAttention(8, 2) self-attention', py: 'nn.MultiheadAttention(8, 2)', js: () => new nn.MultiheadAttention(8, 2), inputs: [[5, 3, 8]], pyForward: 'm(xs[0], xs[0], xs[0])', jsForward: selfAttn },
  { label: 'MultiheadAttention(8, 4) query/key/value', py: 'nn.MultiheadAttention(8, 4)', js: () => new nn.MultiheadAttention(8, 4), inputs: [[4, 2, 8], [6, 2, 8], [6, 2, 8]] },
  { label: 'MultiheadAttention(8, 2) key is value', py: 'nn.MultiheadAttention(8, 2)', js: () => new nn.MultiheadAttention(8, 2), inputs: [[4, 2, 8], [6, 2, 8]], pyForward: 'm(xs[0], xs[1], xs[1])', jsForward: sharedKv },
  {
    label: 'MultiheadAttention(8, 4, kdim=6, vdim=5)',
    py: 'nn.MultiheadAttention(8, 4, kdim=6, vdim=5)',
    js: () => new nn.MultiheadAttention(8, 4, { kdim: 6, vdim: 5 }),
    inputs: [[4, 2, 8], [6, 2, 6], [6, 2, 5]],
  },
  {
    label: 'MultiheadAttention(8, 2, bias=False, add_bias_kv, add_zero_attn, batch_first)',
    py: 'nn.MultiheadAttention(8, 2, bias=False, add_bias_kv=True, add_zero_attn=True, batch_first=True)',
    js: () => new nn.MultiheadAttention(8, 2, { bias: false, addBiasKv: true, addZeroAttn: true, batchFirst: true }),
    inputs: [[2, 4, 8], [2, 6, 8], [2, 6, 8]],
  },
  {
    label: 'MultiheadAttention(8, 2) bool attn_mask + key_padding_mask, per-head weights',
    py: 'nn.MultiheadAttention(8, 2)',
    js: () => new nn.MultiheadAttention(8, 2),
    inputs: [[4, 2, 8], [6, 2, 8], [6, 2, 8]],
    pyForward: `m(xs[0], xs[1], xs[2], key_padding_mask=${KPM_PY}, attn_mask=torch.triu(torch.ones(4, 6, dtype=torch.bool), 3), average_attn_weights=False)`,
    jsForward: (m, xs) =>
      call(m)(xs[0], xs[1], xs[2], { keyPaddingMask: kpm(), attnMask: torch.triu(torch.ones([4, 6], { dtype: torch.bool }), 3), averageAttnWeights: false }),
  },
  {
    label: 'MultiheadAttention(8, 2, add_bias_kv) float 3-D attn_mask (with grad) + key_padding_mask',
    py: 'nn.MultiheadAttention(8, 2, add_bias_kv=True)',
    js: () => new nn.MultiheadAttention(8, 2, { addBiasKv: true }),
    inputs: [[4, 2, 8], [6, 2, 8], [6, 2, 8], [4, 4, 6]],
    pyForward: `m(xs[0], xs[1], xs[2], ${KPM_PY}, True, xs[3])`,
    jsForward: (m, xs) => call(m)(xs[0], xs[1], xs[2], kpm(), true, xs[3]),
  },
  {
    label: 'MultiheadAttention(8, 2, batch_first) need_weights=False',
    py: 'nn.MultiheadAttention(8, 2, batch_first=True)',
    js: () => new nn.MultiheadAttention(8, 2, { batchFirst: true }),
    inputs: [[3, 5, 8]],
    pyForward: 'm(xs[0], xs[0], xs[0], need_weights=False)',
    jsForward: (m, xs) => call(m)(xs[0], xs[0], xs[0], { needWeights: false }),
  },
  { label: 'MultiheadAttention(8, 2) unbatched', py: 'nn.MultiheadAttention(8, 2)', js: () => new nn.MultiheadAttention(8, 2), inputs: [[4, 8], [5, 8], [5, 8]] },
  {
    label: 'MultiheadAttention(8, 2, dropout=0.3) train (dropout draws)',
    py: 'nn.MultiheadAttention(8, 2, dropout=0.3)',
    js: () => new nn.MultiheadAttention(8, 2, { dropout: 0.3 }),
    inputs: [[4, 2, 8], [6, 2, 8], [6, 2, 8]],
  },
  {
    label: 'MultiheadAttention(8, 2, dropout=0.3) eval',
    py: 'nn.MultiheadAttention(8, 2, dropout=0.3)',
    js: () => new nn.MultiheadAttention(8, 2, { dropout: 0.3 }),
    inputs: [[4, 2, 8], [6, 2, 8], [6, 2, 8]],
    eval: true,
  },
]);

layerTable('nn transformer layers', [
  { label: 'TransformerEncoderLayer(8, 2, 16, 0.0) train', py: 'nn.TransformerEncoderLayer(8, 2, 16, 0.0)', js: () => new nn.TransformerEncoderLayer(8, 2, 16, 0.0), inputs: [[5, 2, 8]] },
  { label: 'TransformerEncoderLayer(8, 2, 16) eval', py: 'nn.TransformerEncoderLayer(8, 2, 16)', js: () => new nn.TransformerEncoderLayer(8, 2, 16), inputs: [[5, 2, 8]], eval: true },
  {
    label: "TransformerEncoderLayer(8, 4, 12, gelu, norm_first, batch_first, eps=1e-6) eval with masks",
    py: "nn.TransformerEncoderLayer(8, 4, 12, activation='gelu', norm_first=True, batch_first=True, layer_norm_eps=1e-6)",
    js: () => new nn.TransformerEncoderLayer(8, 4, 12, { activation: 'gelu', normFirst: true, batchFirst: true, layerNormEps: 1e-6 }),
    inputs: [[2, 6, 8]],
    eval: true,
    pyForward: `m(xs[0], ${CAUSAL_PY(6)}, ${KPM_PY})`,
    jsForward: (m, xs) => call(m)(xs[0], causal(6), kpm()),
  },
  {
    label: 'TransformerEncoderLayer(8, 2, 16, 0.0, torch.tanh) unbatched',
    py: 'nn.TransformerEncoderLayer(8, 2, 16, 0.0, torch.tanh)',
    js: () => new nn.TransformerEncoderLayer(8, 2, 16, 0.0, (x: torch.Tensor) => torch.tanh(x)),
    inputs: [[5, 8]],
  },
  {
    label: 'TransformerEncoderLayer(8, 2, 16, 0.0, nn.GELU()) (a module activation is a child)',
    py: 'nn.TransformerEncoderLayer(8, 2, 16, 0.0, nn.GELU())',
    js: () => new nn.TransformerEncoderLayer(8, 2, 16, 0.0, new nn.GELU()),
    inputs: [[5, 2, 8]],
  },
  {
    label: 'TransformerEncoder(layer, 3, LayerNorm) train dropout=0',
    py: 'nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, 0.0), 3, nn.LayerNorm(8))',
    js: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16, 0.0), 3, new nn.LayerNorm(8)),
    inputs: [[5, 2, 8]],
  },
  {
    label: 'TransformerEncoder(batch_first layer, 2) eval with src_key_padding_mask',
    py: 'nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2)',
    js: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16, { batchFirst: true }), 2),
    inputs: [[2, 6, 8]],
    eval: true,
    pyForward: `m(xs[0], src_key_padding_mask=${KPM_PY})`,
    jsForward: (m, xs) => call(m)(xs[0], { srcKeyPaddingMask: kpm() }),
  },
  {
    label: 'TransformerDecoderLayer(8, 2, 16, 0.0) train with tgt_mask',
    py: 'nn.TransformerDecoderLayer(8, 2, 16, 0.0)',
    js: () => new nn.TransformerDecoderLayer(8, 2, 16, 0.0),
    inputs: [[4, 2, 8], [6, 2, 8]],
    pyForward: `m(xs[0], xs[1], ${CAUSAL_PY(4)})`,
    jsForward: (m, xs) => call(m)(xs[0], xs[1], causal(4)),
  },
  {
    label: 'TransformerDecoderLayer(8, 2, 16, norm_first, gelu, batch_first) eval with memory_key_padding_mask',
    py: "nn.TransformerDecoderLayer(8, 2, 16, norm_first=True, activation='gelu', batch_first=True)",
    js: () => new nn.TransformerDecoderLayer(8, 2, 16, { normFirst: true, activation: 'gelu', batchFirst: true }),
    inputs: [[2, 4, 8], [2, 6, 8]],
    eval: true,
    pyForward: `m(xs[0], xs[1], memory_key_padding_mask=${KPM_PY})`,
    jsForward: (m, xs) => call(m)(xs[0], xs[1], { memoryKeyPaddingMask: kpm() }),
  },
  {
    label: 'TransformerDecoder(layer, 2, LayerNorm) train dropout=0',
    py: 'nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16, 0.0), 2, nn.LayerNorm(8))',
    js: () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16, 0.0), 2, new nn.LayerNorm(8)),
    inputs: [[4, 2, 8], [6, 2, 8]],
  },
  {
    label: 'Transformer(8, 2, 2, 2, 16, 0.0) train with masks',
    py: 'nn.Transformer(8, 2, 2, 2, 16, 0.0)',
    js: () => new nn.Transformer(8, 2, 2, 2, 16, 0.0),
    inputs: [[6, 2, 8], [4, 2, 8]],
    pyForward: `m(xs[0], xs[1], tgt_mask=${CAUSAL_PY(4)}, src_key_padding_mask=${KPM_PY}, memory_key_padding_mask=${KPM_PY})`,
    jsForward: (m, xs) => call(m)(xs[0], xs[1], { tgtMask: causal(4), srcKeyPaddingMask: kpm(), memoryKeyPaddingMask: kpm() }),
  },
  {
    label: 'Transformer(d_model=8, nhead=4, 1, 2, dim_feedforward=12, batch_first, norm_first) eval',
    py: 'nn.Transformer(d_model=8, nhead=4, num_encoder_layers=1, num_decoder_layers=2, dim_feedforward=12, batch_first=True, norm_first=True)',
    js: () => new nn.Transformer({ dModel: 8, nhead: 4, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 12, batchFirst: true, normFirst: true }),
    inputs: [[2, 5, 8], [2, 3, 8]],
    eval: true,
  },
]);

describe('inference kernels under noGrad (eval, batch_first) equal PyTorch under no_grad', () => {
  // each: a module built after manual_seed(0), eval(), an input from manual_seed(1), run without grad
  const cases: { label: string; py: string; pyRun: string; js: () => nn.Module; jsRun: (m: nn.Module, x: torch.Tensor) => unknown; shape: number[] }[] = [
    {
      label: 'MultiheadAttention self-attention with key_padding_mask (native MHA)',
      py: 'nn.MultiheadAttention(8, 2, batch_first=True)',
      pyRun: 'm(x, x, x, key_padding_mask=KPM)',
      js: () => new nn.MultiheadAttention(8, 2, { batchFirst: true }),
      jsRun: (m, x) => call(m)(x, x, x, { keyPaddingMask: kpm() }),
      shape: [2, 6, 8],
    },
    {
      label: 'MultiheadAttention need_weights=False, per-head',
      py: 'nn.MultiheadAttention(8, 4, batch_first=True)',
      pyRun: 'm(x, x, x, need_weights=False)',
      js: () => new nn.MultiheadAttention(8, 4, { batchFirst: true }),
      jsRun: (m, x) => call(m)(x, x, x, { needWeights: false }),
      shape: [2, 6, 8],
    },
    {
      label: 'TransformerEncoderLayer (fused layer kernel)',
      py: 'nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)',
      pyRun: 'm(x)',
      js: () => new nn.TransformerEncoderLayer(8, 2, 16, { batchFirst: true }),
      jsRun: (m, x) => call(m)(x),
      shape: [2, 6, 8],
    },
    {
      label: 'TransformerEncoderLayer gelu, norm_first, key padding',
      py: "nn.TransformerEncoderLayer(8, 2, 16, activation='gelu', norm_first=True, batch_first=True)",
      pyRun: 'm(x, src_key_padding_mask=KPM)',
      js: () => new nn.TransformerEncoderLayer(8, 2, 16, { activation: 'gelu', normFirst: true, batchFirst: true }),
      jsRun: (m, x) => call(m)(x, { srcKeyPaddingMask: kpm() }),
      shape: [2, 6, 8],
    },
    {
      label: 'TransformerEncoder with key padding (nested tensor path: zeros at padded positions)',
      py: 'nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2)',
      pyRun: 'm(x, src_key_padding_mask=KPM)',
      js: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16, { batchFirst: true }), 2),
      jsRun: (m, x) => call(m)(x, { srcKeyPaddingMask: kpm() }),
      shape: [2, 6, 8],
    },
    {
      label: 'TransformerEncoder with a final LayerNorm, enable_nested_tensor=False',
      py: 'nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2, nn.LayerNorm(8), enable_nested_tensor=False)',
      pyRun: 'm(x, src_key_padding_mask=KPM)',
      js: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16, { batchFirst: true }), 2, new nn.LayerNorm(8), false),
      jsRun: (m, x) => call(m)(x, { srcKeyPaddingMask: kpm() }),
      shape: [2, 6, 8],
    },
  ];
  const expected = runPython<unknown[]>(`
from torch import nn
KPM = ${KPM_PY}
def desc(o):
    if isinstance(o, (tuple, list)): return [desc(e) for e in o]
    if o is None: return None
    return {'shape': list(o.shape), 'dtype': str(o.dtype), 'values': o.reshape(-1).tolist()}
result = []
for py, run, shape in ${JSON.stringify(cases.map((c) => [c.py, c.pyRun, c.shape]))}:
    torch.manual_seed(0)
    m = eval(py).eval()
    torch.manual_seed(1)
    x = torch.randn(shape)
    with torch.no_grad():
        result.append(desc(eval(run)))
`);
  const desc = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(desc);
    if (o === null) return null;
    const t = o as torch.Tensor;
    return { shape: t.shape, dtype: String(t.dtype), values: t.reshape(-1).tolist() };
  };
  cases.forEach((c, i) => {
    test(c.label, () => {
      torch.manualSeed(0);
      const m = c.js().eval();
      torch.manualSeed(1);
      const x = torch.randn(c.shape);
      const got = torch.noGrad(() => desc(c.jsRun(m, x)));
      expect(mismatch(got, expected[i], 1e-5, 'out')).toBeNull();
    });
  });
});

describe('Transformer helpers, deep copy, errors', () => {
  const py = runPython<{ mask: (number | string)[][]; errors: string[] }>(`
from torch import nn
m = nn.Transformer.generate_square_subsequent_mask(4)
cases = [
  "nn.MultiheadAttention(6, 4)",
  "nn.MultiheadAttention(8, 2)(torch.zeros(4, 2, 8), torch.zeros(5, 2, 8), torch.zeros(5, 2, 8), attn_mask=torch.zeros(4, 4))",
  "nn.MultiheadAttention(8, 2)(torch.zeros(4, 2, 8), torch.zeros(5, 2, 8), torch.zeros(5, 2, 8), key_padding_mask=torch.zeros(2, 5, dtype=torch.long))",
  "nn.MultiheadAttention(8, 2)(torch.zeros(4, 2, 6), torch.zeros(5, 2, 6), torch.zeros(5, 2, 6))",
  "nn.MultiheadAttention(8, 2)(torch.zeros(4, 8), torch.zeros(5, 2, 8), torch.zeros(5, 2, 8))",
  "nn.TransformerEncoderLayer(8, 2, activation='tanh')",
  "nn.Transformer(8, 2, 1, 1, 16)(torch.zeros(5, 2, 8), torch.zeros(4, 3, 8))",
  "nn.Transformer(8, 2, 1, 1, 16)(torch.zeros(5, 2, 8), torch.zeros(4, 2, 6))",
]
errors = []
for c in cases:
    try:
        eval(c)
        errors.append('no error')
    except Exception as e:
        errors.append(str(e))
result = dict(mask=[[str(v) if v != 0 else 0 for v in row] for row in m.tolist()], errors=errors)
`);

  test('generateSquareSubsequentMask equals PyTorch (float32, -inf above the diagonal)', () => {
    const m = nn.Transformer.generateSquareSubsequentMask(4);
    expect(m.dtype).toBe(torch.float32);
    const got = (m.tolist() as number[][]).map((row) => row.map((v) => (v === 0 ? 0 : String(v).replace('Infinity', 'inf'))));
    expect(got).toEqual(py.mask);
  });

  const errors: [string, () => unknown][] = [
    ['embed_dim not divisible by num_heads', () => new nn.MultiheadAttention(6, 4)],
    ['2-D attn_mask of the wrong shape', () => new nn.MultiheadAttention(8, 2)(torch.zeros([4, 2, 8]), torch.zeros([5, 2, 8]), torch.zeros([5, 2, 8]), { attnMask: torch.zeros([4, 4]) })],
    ['integer key_padding_mask', () => new nn.MultiheadAttention(8, 2)(torch.zeros([4, 2, 8]), torch.zeros([5, 2, 8]), torch.zeros([5, 2, 8]), { keyPaddingMask: torch.zeros([2, 5], { dtype: torch.int64 }) })],
    ['wrong embedding size', () => new nn.MultiheadAttention(8, 2)(torch.zeros([4, 2, 6]), torch.zeros([5, 2, 6]), torch.zeros([5, 2, 6]))],
    ['unbatched query with batched key', () => new nn.MultiheadAttention(8, 2)(torch.zeros([4, 8]), torch.zeros([5, 2, 8]), torch.zeros([5, 2, 8]))],
    ['unknown activation', () => new nn.TransformerEncoderLayer(8, 2, { activation: 'tanh' as never })],
    ['batch mismatch', () => new nn.Transformer(8, 2, 1, 1, 16)(torch.zeros([5, 2, 8]), torch.zeros([4, 3, 8]))],
    ['feature mismatch', () => new nn.Transformer(8, 2, 1, 1, 16)(torch.zeros([5, 2, 8]), torch.zeros([4, 2, 6]))],
  ];
  errors.forEach(([label, js], i) => {
    test(`${label}: PyTorch's message`, () => {
      expect(js).toThrow(torch.TorchError);
      expect(js).toThrow(py.errors[i]);
    });
  });

  test('deepcopy: same class, values and training mode; new tensors; shared parameters stay shared', () => {
    class Tied extends nn.Module {
      a = new nn.Linear(3, 3);
      b = new nn.Linear(3, 3);
      norm = new nn.BatchNorm1d(3);
      constructor() {
        super();
        this.b.weight = this.a.weight;
      }
      forward(x: torch.Tensor) {
        return this.norm(this.b(this.a(x)));
      }
    }
    const m = new Tied();
    m.norm.eval();
    const c = nn.deepcopy(m);
    expect(c).toBeInstanceOf(Tied);
    expect(c).not.toBe(m);
    expect(c.b.weight).toBe(c.a.weight);
    expect(c.a.weight).not.toBe(m.a.weight);
    expect(c.a.weight).toBeInstanceOf(nn.Parameter);
    expect(c.a.weight.requiresGrad).toBe(true);
    expect(c.norm.training).toBe(false);
    expect(c.training).toBe(true);
    expect(Object.keys(c.stateDict())).toEqual(Object.keys(m.stateDict()));
    expect(String(c)).toBe(String(m));
    const x = torch.randn([4, 3]);
    expect(torch.equal(c(x), m(x))).toBe(true);
    torch.noGrad(() => c.a.weight.add_(1));
    expect(torch.equal(c.a.weight, m.a.weight)).toBe(false);
    expect(c.norm.running_mean).not.toBe(m.norm.running_mean);
  });

  test('encoder layers are independent copies with equal initial weights', () => {
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16), 2);
    const [l0, l1] = [...enc.layers];
    expect(torch.equal(l0.linear1.weight, l1.linear1.weight)).toBe(true);
    expect(l0.linear1.weight).not.toBe(l1.linear1.weight);
    expect(l0.activation).toBe(l1.activation);
    expect([...enc.parameters()].length).toBe(2 * [...l0.parameters()].length);
  });

  test('a float32 Transformer trains one step', () => {
    torch.manualSeed(0);
    const model = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 });
    const out = model(torch.randn([5, 2, 8]), torch.randn([3, 2, 8]), { tgtMask: nn.Transformer.generateSquareSubsequentMask(3) });
    expect(out.shape).toEqual([3, 2, 8]);
    out.pow(2).mean().backward();
    for (const p of model.parameters()) expect(p.grad).not.toBeNull();
  });
});

(torch.cuda.isAvailable() ? test : test.skip)('on CUDA: LSTM, MultiheadAttention and Transformer equal their CPU results', () => {
  torch.manualSeed(0);
  // float64: in float32 cuDNN's LSTM runs in TF32 (PyTorch's default), 1e-3 away from the CPU
  const lstm = new nn.LSTM(8, 6, 2, { bidirectional: true }).double();
  const mha = new nn.MultiheadAttention(8, 2).double();
  const tr = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0 }).double();
  const x = torch.randn([5, 3, 8], { dtype: torch.float64 });
  const y = torch.randn([4, 3, 8], { dtype: torch.float64 });
  const cpu = [lstm(x)[0], mha(y, x, x)[0], tr(x, y)];
  const [lg, mg, tg] = [lstm.to('cuda'), mha.to('cuda'), tr.to('cuda')];
  const [xg, yg] = [x.to('cuda'), y.to('cuda')];
  const gpu = [lg(xg)[0], mg(yg, xg, xg)[0], tg(xg, yg)];
  gpu.forEach((g, i) => {
    expect(g.device.type).toBe('cuda');
    expect(torch.allclose(g.cpu(), cpu[i], { rtol: 1e-9, atol: 1e-10 })).toBe(true);
  });
});
