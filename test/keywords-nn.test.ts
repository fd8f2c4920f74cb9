// Options objects are Python's keyword arguments: in nn layers, nn.init, F, amp and checkpoint an
// unknown key raises TorchError naming the function and the key (and the camelCase key meant, for
// a snake_case or miscased one), as Python's TypeError does; every declared key still works.
import * as torch from '../lib';
import { nn } from '../lib';
import { errorOf, unexpectedKeyword } from './helpers/errors';

const { F, init } = nn;
const { checkpoint, checkpointSequential } = torch.utils.checkpoint;
const f64 = torch.float64;
const long = (v: number[]) => torch.tensor(v, { dtype: torch.int64 });
const table = () => torch.arange(12, { dtype: torch.float32 }).reshape(4, 3);
const leaf = () => torch.ones(3, { requiresGrad: true });
const double = (t: torch.Tensor): torch.Tensor => t.mul(2);

describe('an unknown option key raises TorchError', () => {
  test.each<[string, () => unknown, string]>([
    ['Linear', () => new nn.Linear(2, 3, { bais: false } as never), unexpectedKeyword('Linear', 'bais')],
    ['Bilinear', () => new nn.Bilinear(2, 2, 3, { Bias: false } as never), unexpectedKeyword('Bilinear', 'Bias', 'bias')],
    ['Embedding', () => new nn.Embedding(10, 3, { padding_idx: 0 } as never), unexpectedKeyword('Embedding', 'padding_idx', 'paddingIdx')],
    ['Embedding.fromPretrained', () => nn.Embedding.fromPretrained(table(), { device: 'cpu' } as never), unexpectedKeyword('Embedding.fromPretrained', 'device')],
    ['EmbeddingBag', () => new nn.EmbeddingBag(10, 3, { include_last_offset: true } as never), unexpectedKeyword('EmbeddingBag', 'include_last_offset', 'includeLastOffset')],
    ['EmbeddingBag.fromPretrained', () => nn.EmbeddingBag.fromPretrained(table(), { modes: 'sum' } as never), unexpectedKeyword('EmbeddingBag.fromPretrained', 'modes')],
    [
      'EmbeddingBag.forward',
      () => new nn.EmbeddingBag(10, 3).forward(long([1, 2]), { per_sample_weights: null } as never),
      unexpectedKeyword('EmbeddingBag.forward', 'per_sample_weights', 'perSampleWeights'),
    ],
    ['Dropout({ ... })', () => new nn.Dropout({ prob: 0.2 } as never), unexpectedKeyword('Dropout', 'prob')],
    ['Dropout2d(p, { ... })', () => new nn.Dropout2d(0.2, { in_place: true } as never), unexpectedKeyword('Dropout2d', 'in_place', 'inplace')],
    ['Dropout(p, { p })', () => new nn.Dropout(0.2, { p: 0.3 } as never), "Dropout() got multiple values for argument 'p'"],
    ['Dropout({ p }, { inplace })', () => new nn.Dropout({ p: 0.3 } as never, { inplace: true }), 'Dropout: p must be a number, got object'],
    ['BatchNorm2d', () => new nn.BatchNorm2d(3, { track_running_stats: false } as never), unexpectedKeyword('BatchNorm2d', 'track_running_stats', 'trackRunningStats')],
    ['InstanceNorm1d', () => new nn.InstanceNorm1d(3, { momentun: 0.2 } as never), unexpectedKeyword('InstanceNorm1d', 'momentun')],
    ['LayerNorm', () => new nn.LayerNorm(4, { elementwise_affine: false } as never), unexpectedKeyword('LayerNorm', 'elementwise_affine', 'elementwiseAffine')],
    ['GroupNorm', () => new nn.GroupNorm(2, 4, { elementwiseAffine: false } as never), unexpectedKeyword('GroupNorm', 'elementwiseAffine')],
    ['LocalResponseNorm', () => new nn.LocalResponseNorm(2, { K: 2 } as never), unexpectedKeyword('LocalResponseNorm', 'K', 'k')],
    ['PReLU', () => new nn.PReLU(3, { num_parameters: 3 } as never), unexpectedKeyword('PReLU', 'num_parameters', 'numParameters')],
    ['RNNBase', () => new nn.RNNBase('LSTM', 2, 3, { num_layers: 2 } as never), unexpectedKeyword('RNNBase', 'num_layers', 'numLayers')],
    ['RNNCellBase', () => new nn.RNNCellBase(2, 3, true, 1, { Device: 'cpu' } as never), unexpectedKeyword('RNNCellBase', 'Device', 'device')],
    ['init.kaimingUniform_', () => init.kaimingUniform_(torch.empty(3, 4), { negative_slope: 0.1 } as never), unexpectedKeyword('kaimingUniform_', 'negative_slope')],
    ['init.kaimingNormal_', () => init.kaimingNormal_(torch.empty(3, 4), { Mode: 'fan_out' } as never), unexpectedKeyword('kaimingNormal_', 'Mode', 'mode')],
    ['F.gelu', () => F.gelu(torch.ones(2), { approx: 'tanh' } as never), unexpectedKeyword('gelu', 'approx')],
    [
      'F.maxPool2dWithIndices',
      () => F.maxPool2dWithIndices(torch.ones(1, 1, 4, 4), 2, { ceil_mode: true } as never),
      unexpectedKeyword('maxPool2dWithIndices', 'ceil_mode', 'ceilMode'),
    ],
    ['torch.autocast', () => torch.autocast('cpu', { cache_enabled: false } as never, () => 0), unexpectedKeyword('autocast', 'cache_enabled', 'cacheEnabled')],
    ['torch.cuda.amp.autocast', () => torch.cuda.amp.autocast({ enable: false } as never, () => 0), unexpectedKeyword('autocast', 'enable')],
    ['torch.amp.GradScaler', () => new torch.amp.GradScaler('cpu', { init_scale: 1024 } as never), unexpectedKeyword('GradScaler', 'init_scale', 'initScale')],
    ['torch.cuda.amp.GradScaler', () => new torch.cuda.amp.GradScaler({ growth: 2 } as never), unexpectedKeyword('GradScaler', 'growth')],
    ['checkpoint (snake_case)', () => checkpoint(double, leaf(), { use_reentrant: false } as never), unexpectedKeyword('checkpoint', 'use_reentrant', 'useReentrant')],
    ['checkpoint (extra key)', () => checkpoint(double, leaf(), { useReentrant: false, debug: true } as never), unexpectedKeyword('checkpoint', 'debug')],
    [
      'checkpointSequential',
      () => checkpointSequential([double], 1, leaf(), { preserve_rng_state: false } as never),
      unexpectedKeyword('checkpointSequential', 'preserve_rng_state', 'preserveRngState'),
    ],
  ])('%s', (_, fn, message) => {
    expect(errorOf(fn).message).toBe(message);
  });
});

describe('every declared option key is taken', () => {
  test.each<[string, () => boolean]>([
    ['Linear', () => {
      const m = new nn.Linear(2, 3, { bias: false, device: 'cpu', dtype: f64 });
      return m.bias === null && m.weight.dtype === f64;
    }],
    ['Bilinear', () => new nn.Bilinear(2, 2, 3, { bias: false, device: 'cpu', dtype: f64 }).bias === null],
    ['Embedding', () => {
      const m = new nn.Embedding(10, 3, { paddingIdx: 0, maxNorm: 1, normType: 1, scaleGradByFreq: true, sparse: false, _weight: null, device: 'cpu', dtype: f64 });
      return m.paddingIdx === 0 && m.maxNorm === 1 && m.normType === 1 && m.scaleGradByFreq && m.weight.dtype === f64;
    }],
    ['Embedding.fromPretrained', () => {
      const m = nn.Embedding.fromPretrained(table(), { freeze: false, paddingIdx: 1, maxNorm: null, normType: 2, scaleGradByFreq: false, sparse: false });
      return m.paddingIdx === 1 && m.weight.requiresGrad;
    }],
    ['EmbeddingBag', () => {
      const m = new nn.EmbeddingBag(10, 3, { mode: 'sum', includeLastOffset: true, paddingIdx: 2, maxNorm: null, normType: 2, scaleGradByFreq: false, sparse: false, device: 'cpu', dtype: f64 });
      return m.mode === 'sum' && m.includeLastOffset && m.paddingIdx === 2 && m.weight.dtype === f64;
    }],
    ['EmbeddingBag.fromPretrained', () => {
      const m = nn.EmbeddingBag.fromPretrained(table(), { mode: 'max', includeLastOffset: false, freeze: true, paddingIdx: null });
      return m.mode === 'max' && !m.weight.requiresGrad;
    }],
    ['EmbeddingBag.forward', () => {
      const out = new nn.EmbeddingBag(10, 3).forward(long([1, 2, 3, 4]), { offsets: long([0, 2]), perSampleWeights: null });
      return out.shape.join() === '2,3';
    }],
    ['Dropout({ ... })', () => {
      const m = new nn.Dropout({ p: 0.2, inplace: true });
      return m.p === 0.2 && m.inplace;
    }],
    ['Dropout2d(p, { ... })', () => {
      const m = new nn.Dropout2d(0.3, { inplace: true });
      return m.p === 0.3 && m.inplace;
    }],
    ['Dropout(p, inplace), positionally as in Python', () => {
      const m = new nn.AlphaDropout(0.3, true);
      return m.p === 0.3 && m.inplace;
    }],
    ['BatchNorm2d', () => {
      const m = new nn.BatchNorm2d(3, { eps: 1e-3, momentum: null, affine: false, trackRunningStats: false, device: 'cpu', dtype: f64 });
      return m.eps === 1e-3 && m.momentum === null && m.weight === null && m.running_mean === null;
    }],
    ['InstanceNorm1d', () => {
      const m = new nn.InstanceNorm1d(3, { affine: true, trackRunningStats: true, dtype: f64 });
      return m.weight !== null && m.running_mean!.dtype === f64;
    }],
    ['LayerNorm', () => {
      const m = new nn.LayerNorm(4, { eps: 1e-6, elementwiseAffine: false, device: 'cpu', dtype: f64 });
      return m.eps === 1e-6 && m.weight === null;
    }],
    ['GroupNorm', () => {
      const m = new nn.GroupNorm(2, 4, { eps: 1e-3, affine: false, device: 'cpu', dtype: f64 });
      return m.eps === 1e-3 && m.weight === null;
    }],
    ['LocalResponseNorm', () => {
      const m = new nn.LocalResponseNorm(2, { alpha: 1e-3, beta: 0.5, k: 2 });
      return m.alpha === 1e-3 && m.beta === 0.5 && m.k === 2;
    }],
    ['PReLU', () => {
      const m = new nn.PReLU(3, { init: 0.1, device: 'cpu', dtype: f64 });
      return m.weight.dtype === f64 && Math.abs((m.weight.tolist() as number[])[0] - 0.1) < 1e-12;
    }],
    ['RNNBase', () => {
      const m = new nn.RNNBase('LSTM', 2, 3, { numLayers: 2, bias: false, batchFirst: true, dropout: 0, bidirectional: true, projSize: 2, device: 'cpu', dtype: f64 });
      return m.numLayers === 2 && !m.bias && m.batchFirst && m.bidirectional && m.projSize === 2 && m.weight_ih_l0.dtype === f64;
    }],
    ['RNNCellBase', () => new nn.RNNCellBase(2, 3, true, 4, { device: 'cpu', dtype: f64 }).weight_ih.dtype === f64],
    ['init.kaimingUniform_', () => {
      const t = torch.empty(3, 4);
      return init.kaimingUniform_(t, { a: 1, mode: 'fan_out', nonlinearity: 'leaky_relu' }) === t;
    }],
    ['init.kaimingNormal_', () => {
      const t = torch.empty(3, 4);
      return init.kaimingNormal_(t, { a: 0, mode: 'fanIn', nonlinearity: 'relu' }) === t;
    }],
    ['F.gelu', () => F.gelu(torch.ones(2), { approximate: 'tanh' }).shape.join() === '2'],
    ['F.maxPool2dWithIndices', () => {
      const [out, indices] = F.maxPool2dWithIndices(torch.ones(1, 1, 4, 4), 2, { stride: 2, padding: 0, dilation: 1, ceilMode: false, returnIndices: true });
      return out.shape.join() === '1,1,2,2' && indices.dtype === torch.int64;
    }],
    ['torch.autocast', () => torch.autocast('cpu', { dtype: torch.bfloat16, enabled: true, cacheEnabled: false }, () => torch.isAutocastEnabled('cpu'))],
    ['torch.cuda.amp.autocast', () => torch.cuda.amp.autocast({ enabled: false, dtype: torch.float16, cacheEnabled: true }, () => !torch.isAutocastEnabled('cuda'))],
    ['torch.amp.GradScaler', () => {
      const s = new torch.amp.GradScaler('cpu', { initScale: 1024, growthFactor: 4, backoffFactor: 0.25, growthInterval: 10, enabled: true });
      return s.getScale() === 1024 && s.getGrowthFactor() === 4 && s.getBackoffFactor() === 0.25 && s.getGrowthInterval() === 10;
    }],
    ['torch.cuda.amp.GradScaler', () => !new torch.cuda.amp.GradScaler({ enabled: false }).isEnabled()],
    ['checkpoint', () => {
      const x = leaf();
      checkpoint(double, x, { useReentrant: true, preserveRngState: false }).sum().backward();
      return (x.grad!.tolist() as number[]).every((g) => g === 2);
    }],
    ['checkpoint (a plain object argument)', () => {
      const scale = (t: torch.Tensor, o: { factor: number }) => t.mul(o.factor);
      return (checkpoint(scale, leaf(), { factor: 3 }).tolist() as number[]).every((v) => v === 3);
    }],
    ['checkpointSequential', () => {
      const x = leaf();
      checkpointSequential([double, double], 2, x, { preserveRngState: false, useReentrant: true }).sum().backward();
      return (x.grad!.tolist() as number[]).every((g) => g === 4);
    }],
  ])('%s', (_, ok) => {
    expect(ok()).toBe(true);
  });
});
