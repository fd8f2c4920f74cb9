// Reductions, scans, sorting and shape/indexing ops: forward values and gradients against PyTorch
// in float64 (1e-10). Inputs: see test/helpers/oracle.ts (x 3x4, b 2x3x4, v 4, ...).
import * as torch from '../lib';
import { Case, oracleTable } from './helpers/oracle';
import { errorTable } from './helpers/error-oracle';

const idx = (): torch.Tensor => torch.tensor([2, 0, 1]);
const gidx = (): torch.Tensor => torch.tensor([[0, 1, 2, 0], [2, 2, 1, 0], [1, 0, 0, 2]]);

const CASES: Case[] = [
  ['sum', 'torch.sum(x)', (t) => torch.sum(t.x)],
  ['sum (dim)', 'torch.sum(b, 1, keepdim=True)', (t) => torch.sum(t.b, 1, { keepdim: true })],
  ['sum (dims)', 'b.sum((0, 2))', (t) => t.b.sum([0, 2])],
  ['sum (dim=)', 'torch.sum(b, dim=1, keepdim=True)', (t) => torch.sum(t.b, { dim: 1, keepdim: true })],
  ['mean (dim=)', 'x.mean(dim=0)', (t) => t.x.mean({ dim: 0 })],
  ['sum (dtype, no dim)', 'torch.sum(x, dtype=torch.float32)', (t) => torch.sum(t.x, { dtype: torch.float32 })],
  ['mean', 'x.mean()', (t) => t.x.mean()],
  ['mean (dtype, no dim)', 'x.mean(dtype=torch.float32)', (t) => t.x.mean({ dtype: torch.float32 })],
  ['mean (dim)', 'torch.mean(b, -1)', (t) => torch.mean(t.b, -1)],
  ['prod', 'torch.prod(p)', (t) => torch.prod(t.p)],
  ['prod (dim)', 'torch.prod(x, 1)', (t) => torch.prod(t.x, 1)],
  ['std', 'torch.std(x)', (t) => torch.std(t.x)],
  ['std (dim)', 'x.std(1, keepdim=True)', (t) => t.x.std(1, { keepdim: true })],
  ['var', 'torch.var(x, unbiased=False)', (t) => torch.var(t.x, false)],
  ['var (correction)', 'torch.var(b, (0, 1), correction=0)', (t) => torch.var(t.b, [0, 1], { correction: 0 })],
  ['std_mean', 'torch.std_mean(x, 0)', (t) => torch.stdMean(t.x, 0)],
  ['var_mean', 'torch.var_mean(x, 1)', (t) => torch.varMean(t.x, 1)],
  ['norm', 'torch.norm(x, 3, 1)', (t) => torch.norm(t.x, 3, 1)],
  ['amax', 'torch.amax(b, (0, 2))', (t) => torch.amax(t.b, [0, 2])],
  ['amin', 'torch.amin(x, 1)', (t) => torch.amin(t.x, 1)],
  ['max', 'torch.max(x)', (t) => torch.max(t.x)],
  ['max (dim)', 'torch.max(x, 1)', (t) => torch.max(t.x, 1)],
  ['max (other)', 'torch.max(x, y)', (t) => torch.max(t.x, t.y)],
  ['min (dim)', 'x.min(0, keepdim=True)', (t) => t.x.min(0, { keepdim: true })],
  ['aminmax', 'torch.aminmax(x.detach(), dim=1)', (t) => torch.aminmax(t.x.detach(), { dim: 1 })],
  ['argmax', 'torch.argmax(x, 1)', (t) => torch.argmax(t.x, 1)],
  ['argmax (dim=)', 'torch.argmax(x, dim=1, keepdim=True)', (t) => torch.argmax(t.x, { dim: 1, keepdim: true })],
  ['argmin', 'torch.argmin(x)', (t) => torch.argmin(t.x)],
  ['logsumexp', 'torch.logsumexp(x, 1)', (t) => torch.logsumexp(t.x, 1)],
  ['cumsum', 'torch.cumsum(x, 1)', (t) => torch.cumsum(t.x, 1)],
  ['cumprod', 'torch.cumprod(x, 0)', (t) => torch.cumprod(t.x, 0)],
  ['cummax', 'torch.cummax(x, 1)', (t) => torch.cummax(t.x, 1)],
  ['cummin', 'torch.cummin(x, 1)', (t) => torch.cummin(t.x, 1)],
  ['logcumsumexp', 'torch.logcumsumexp(x, 1)', (t) => torch.logcumsumexp(t.x, 1)],
  ['median', 'torch.median(x)', (t) => torch.median(t.x)],
  ['median (dim)', 'torch.median(x, 1)', (t) => torch.median(t.x, 1)],
  ['kthvalue', 'torch.kthvalue(x, 2, 1)', (t) => torch.kthvalue(t.x, 2, 1)],
  ['topk', 'torch.topk(x, 2)', (t) => torch.topk(t.x, 2)],
  ['sort', 'torch.sort(x, 1, descending=True)', (t) => torch.sort(t.x, 1, { descending: true })],
  ['argsort', 'torch.argsort(x, 0)', (t) => torch.argsort(t.x, 0)],
  ['msort', 'torch.msort(x)', (t) => torch.msort(t.x)],
  ['all', 'torch.all(x > -2)', (t) => torch.all(t.x.gt(-2))],
  ['any', 'torch.any(x > 0.9, 1)', (t) => torch.any(t.x.gt(0.9), 1)],
  ['count_nonzero', 'torch.count_nonzero(x > 0, 1)', (t) => torch.countNonzero(t.x.gt(0), 1)],
  ['dist', 'torch.dist(x, y, 1.5)', (t) => torch.dist(t.x, t.y, 1.5)],
  ['trace', 'torch.trace(a)', (t) => torch.trace(t.a)],
  ['diff', 'torch.diff(x, dim=1)', (t) => torch.diff(t.x, { dim: 1 })],
  ['nansum', 'torch.nansum(x)', (t) => torch.nansum(t.x)],
  ['nanmean', 'torch.nanmean(x, 1)', (t) => torch.nanmean(t.x, 1)],
  ['renorm', 'torch.renorm(x, 2, 0, 1.0)', (t) => torch.renorm(t.x, 2, 0, 1)],
  ['reshape', 'torch.reshape(x, (2, 6))', (t) => torch.reshape(t.x, [2, 6])],
  ['view', 'x.view(4, 3)', (t) => t.x.view(4, 3)],
  ['permute', 'b.permute(2, 0, 1)', (t) => t.b.permute(2, 0, 1)],
  ['transpose', 'torch.transpose(b, 0, 2)', (t) => torch.transpose(t.b, 0, 2)],
  ['t', 'x.t()', (t) => t.x.t()],
  ['T', 'x.T', (t) => t.x.T],
  ['mT', 'b.mT', (t) => t.b.mT],
  ['H', 'x.H', (t) => t.x.H],
  ['mH', 'b.mH', (t) => t.b.mH],
  ['squeeze', 'c.squeeze()', (t) => t.c.squeeze()],
  ['unsqueeze', 'torch.unsqueeze(x, 1)', (t) => torch.unsqueeze(t.x, 1)],
  ['unsqueeze (dim=)', 'x.unsqueeze(dim=0)', (t) => t.x.unsqueeze({ dim: 0 })],
  ['flatten', 'torch.flatten(b, 1)', (t) => torch.flatten(t.b, 1)],
  ['flatten (start_dim=)', 'b.flatten(start_dim=1)', (t) => t.b.flatten({ startDim: 1 })],
  ['unflatten', 'x.unflatten(1, (2, 2))', (t) => t.x.unflatten(1, [2, 2])],
  ['cat', 'torch.cat([x, y], 1)', (t) => torch.cat([t.x, t.y], 1)],
  ['cat (dim=)', 'torch.cat([x, y], dim=1)', (t) => torch.cat([t.x, t.y], { dim: 1 })],
  ['concat', 'torch.concat([x, c])', (t) => torch.concat([t.x, t.c])],
  ['stack', 'torch.stack([x, y], 2)', (t) => torch.stack([t.x, t.y], 2)],
  ['stack (dim=)', 'torch.stack([x, y], dim=2)', (t) => torch.stack([t.x, t.y], { dim: 2 })],
  ['hstack', 'torch.hstack([x, y])', (t) => torch.hstack([t.x, t.y])],
  ['vstack', 'torch.vstack([x, v])', (t) => torch.vstack([t.x, t.v])],
  ['dstack', 'torch.dstack([x, y])', (t) => torch.dstack([t.x, t.y])],
  ['split', 'torch.split(x, 3, 1)', (t) => torch.split(t.x, 3, 1)],
  ['split (sizes)', 'x.split([1, 3], 1)', (t) => t.x.split([1, 3], 1)],
  ['chunk', 'torch.chunk(x, 2, 1)', (t) => torch.chunk(t.x, 2, 1)],
  ['tensor_split', 'torch.tensor_split(x, 3, 1)', (t) => torch.tensorSplit(t.x, 3, 1)],
  ['unbind', 'torch.unbind(x, 1)', (t) => torch.unbind(t.x, 1)],
  ['flip', 'torch.flip(x, [0, 1])', (t) => torch.flip(t.x, [0, 1])],
  ['fliplr', 'torch.fliplr(x)', (t) => torch.fliplr(t.x)],
  ['roll', 'torch.roll(x, 1, 1)', (t) => torch.roll(t.x, 1, 1)],
  ['rot90', 'torch.rot90(x, 1, [0, 1])', (t) => torch.rot90(t.x, 1, [0, 1])],
  ['repeat', 'x.repeat(2, 1, 2)', (t) => t.x.repeat(2, 1, 2)],
  ['tile', 'torch.tile(v, (2, 2))', (t) => torch.tile(t.v, [2, 2])],
  ['expand', 'c.expand(3, 4)', (t) => t.c.expand(3, 4)],
  ['broadcast_to', 'torch.broadcast_to(v, (2, 4))', (t) => torch.broadcastTo(t.v, [2, 4])],
  ['repeat_interleave', 'torch.repeat_interleave(v, 2)', (t) => torch.repeatInterleave(t.v, 2)],
  ['narrow', 'torch.narrow(x, 1, 1, 2)', (t) => torch.narrow(t.x, 1, 1, 2)],
  ['select', 'torch.select(x, 1, 2)', (t) => torch.select(t.x, 1, 2)],
  ['index_select', 'torch.index_select(x, 1, torch.tensor([2, 0, 1]))', (t) => torch.indexSelect(t.x, 1, idx())],
  ['gather', 'torch.gather(x, 1, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 0], [1, 0, 0, 2]]))', (t) => torch.gather(t.x, 1, gidx())],
  ['take_along_dim', 'torch.take_along_dim(x, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 0], [1, 0, 0, 2]]), 1)', (t) => torch.takeAlongDim(t.x, gidx(), 1)],
  ['scatter', 'torch.scatter(x, 1, torch.tensor([[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2]]), y)', (t) => torch.scatter(t.x, 1, torch.tensor([[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2]]), t.y)],
  ['scatter_add', 'torch.scatter_add(x, 1, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 0], [1, 0, 0, 2]]), y)', (t) => torch.scatterAdd(t.x, 1, gidx(), t.y)],
  ['index_add', 'torch.index_add(x, 0, torch.tensor([2, 0, 1]), y, alpha=2)', (t) => torch.indexAdd(t.x, 0, idx(), t.y, { alpha: 2 })],
  ['index_copy', 'torch.index_copy(x, 0, torch.tensor([2, 0, 1]), y)', (t) => torch.indexCopy(t.x, 0, idx(), t.y)],
  ['index_fill', 'torch.index_fill(x, 1, torch.tensor([2, 0]), -1.5)', (t) => torch.indexFill(t.x, 1, torch.tensor([2, 0]), -1.5)],
  ['take', 'torch.take(x, torch.tensor([0, 5, 11]))', (t) => torch.take(t.x, torch.tensor([0, 5, 11]))],
  ['masked_select', 'torch.masked_select(x, x > 0)', (t) => torch.maskedSelect(t.x, t.x.gt(0))],
  ['tril', 'torch.tril(x, -1)', (t) => torch.tril(t.x, -1)],
  ['triu', 'torch.triu(x, 1)', (t) => torch.triu(t.x, 1)],
  ['diag', 'torch.diag(v)', (t) => torch.diag(t.v)],
  ['diag_embed', 'torch.diag_embed(x)', (t) => torch.diagEmbed(t.x)],
  ['diagonal', 'torch.diagonal(b, 0, 1, 2)', (t) => torch.diagonal(t.b, 0, 1, 2)],
  // the Tensor methods below take ops_fast.cc's direct bindings (negative dims, list forms)
  ['x.reshape', 'x.reshape(-1, 2)', (t) => t.x.reshape(-1, 2)],
  ['b.view', 'b.view([4, -1])', (t) => t.b.view([4, -1])],
  ['b.flatten', 'b.flatten(0, -2)', (t) => t.b.flatten(0, -2)],
  ['b.permute', 'b.permute([-1, 0, 1])', (t) => t.b.permute([-1, 0, 1])],
  ['b.transpose', 'b.transpose(-1, 0)', (t) => t.b.transpose(-1, 0)],
  ['x.unsqueeze', 'x.unsqueeze(-1)', (t) => t.x.unsqueeze(-1)],
  ['c.squeeze (dim)', 'c.squeeze(0)', (t) => t.c.squeeze(0)],
  ['b.select', 'b.select(-1, -2)', (t) => t.b.select(-1, -2)],
  ['b.select (0-dim index)', 'b.select(1, torch.tensor(2))', (t) => t.b.select(1, torch.tensor(2) as unknown as number)],
  ['x.narrow', 'x.narrow(-1, 1, 2)', (t) => t.x.narrow(-1, 1, 2)],
  ['x.t().reshape', 'x.t().reshape(12)', (t) => t.x.t().reshape(12)],
  ['movedim', 'torch.movedim(b, 0, 2)', (t) => torch.movedim(t.b, 0, 2)],
  ['swapaxes', 'torch.swapaxes(b, 0, 1)', (t) => torch.swapaxes(t.b, 0, 1)],
  ['unfold', 'x.unfold(1, 2, 1)', (t) => t.x.unfold(1, 2, 1)],
  ['clone', 'torch.clone(x)', (t) => torch.clone(t.x)],
  ['ravel', 'torch.ravel(b)', (t) => torch.ravel(t.b)],
  ['atleast_3d', 'torch.atleast_3d(v)', (t) => torch.atleast3d(t.v)],
  ['meshgrid', 'torch.meshgrid(v, w, indexing="ij")', (t) => torch.meshgrid([t.v, t.w], { indexing: 'ij' })],
  ['block_diag', 'torch.block_diag(x, c)', (t) => torch.blockDiag([t.x, t.c])],
  ['cartesian_prod', 'torch.cartesian_prod(v, w)', (t) => torch.cartesianProd([t.v, t.w])],
];

oracleTable('reductions and shape ops vs PyTorch', CASES, [['float64', 1e-10], ['float32', 1e-5]]);

describe('shape methods raise PyTorch\'s errors', () => {
  const x = () => torch.arange(12).reshape(3, 4);
  errorTable([
    ['torch.arange(12).reshape(3, 4).view(5, -1)', () => x().view(5, -1)],
    ['torch.arange(12).reshape(3, 4).t().view(12)', () => x().t().view(12)],
    ['torch.arange(12).reshape(3, 4).reshape(5, 3)', () => x().reshape(5, 3)],
    ['torch.arange(12).reshape(3, 4).select(2, 0)', () => x().select(2, 0)],
    ['torch.arange(12).reshape(3, 4).select(0, -4)', () => x().select(0, -4)],
    ['torch.arange(12).reshape(3, 4).narrow(1, 3, 2)', () => x().narrow(1, 3, 2)],
    ['torch.arange(12).reshape(3, 4).unsqueeze(3)', () => x().unsqueeze(3)],
    ['torch.arange(12).reshape(3, 4).squeeze(-3)', () => x().squeeze(-3)],
    ['torch.arange(12).reshape(3, 4).transpose(0, 2)', () => x().transpose(0, 2)],
    ['torch.arange(12).reshape(3, 4).permute(0, 0)', () => x().permute(0, 0)],
    ['torch.arange(12).reshape(3, 4).flatten(1, 0)', () => x().flatten(1, 0)],
    ['torch.arange(24).reshape(2, 3, 4).t()', () => torch.arange(24).reshape(2, 3, 4).t()],
  ], { firstLine: true });

  test('non-integer dims and sizes are TorchErrors naming the argument', () => {
    expect(() => x().select(0.5, 0)).toThrow(new torch.TorchError('expected an integer for dim'));
    expect(() => x().view(6, 2.5)).toThrow(torch.TorchError);
    expect(() => x().unsqueeze(NaN)).toThrow(/expected an integer for dim/);
    expect(() => x().narrow(0, 0, Infinity)).toThrow(/expected an integer for length/);
  });

  test('the fast views alias their base and carry gradients', () => {
    const base = torch.zeros(3, 4);
    base.select(1, 2).fill_(7);
    base.view(12).narrow(0, 0, 1).fill_(1);
    expect(base.tolist()).toEqual([[1, 0, 7, 0], [0, 0, 7, 0], [0, 0, 7, 0]]);
    const w = torch.ones(2, 3, { requiresGrad: true });
    w.t().unsqueeze(0).flatten().mul(torch.arange(6)).sum().backward();
    expect(w.grad!.tolist()).toEqual([[0, 2, 4], [1, 3, 5]]);
  });
});
