// kl.klDivergence(p, q) and registerKL: KL(p || q) by the most specific registered pair of classes,
// as Python's _dispatch_kl picks it (then memoised per pair of concrete classes).
import * as torch from './torch';
import { Tensor } from './torch';
import { Distribution } from './distribution';
import { ExponentialFamily } from './exp-family';
import { NotImplementedError, ValueError } from '../errors';
import { sumRightmost, sameShape, broadcastShapes } from './utils';
import { Normal } from './normal';
import { Categorical } from './categorical';
import { OneHotCategorical } from './one-hot-categorical';
import { Bernoulli } from './bernoulli';
import { Uniform } from './uniform';
import { MultivariateNormal, batchMahalanobis } from './multivariate-normal';
import { Independent } from './independent';
import { Beta } from './beta';
import { Gamma } from './gamma';
import { Dirichlet } from './dirichlet';
import { Exponential } from './exponential';
import { Laplace } from './laplace';
import { Poisson } from './poisson';
import { Binomial } from './binomial';
import { TransformedDistribution } from './transformed-distribution';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Class = abstract new (...args: any[]) => Distribution;
type KLFn = (p: never, q: never) => Tensor;

const registry: { p: Class; q: Class; fn: KLFn }[] = [];
const memo = new Map<Class, Map<Class, KLFn | null>>();

/** Python's @register_kl(TypeP, TypeQ): registerKL(TypeP, TypeQ, (p, q) => ...). */
export function registerKL<P extends Class, Q extends Class>(typeP: P, typeQ: Q, fn: (p: InstanceType<P>, q: InstanceType<Q>) => Tensor): void {
  const i = registry.findIndex((r) => r.p === typeP && r.q === typeQ);
  if (i >= 0) registry.splice(i, 1);
  registry.push({ p: typeP, q: typeQ, fn: fn as KLFn });
  memo.clear();
}

/** How many prototype steps from `cls` up to `ancestor` (Python orders matches by issubclass). */
function depth(cls: Class, ancestor: Class): number {
  let d = 0;
  for (let c: unknown = cls; c; c = Object.getPrototypeOf(c), d++) if (c === ancestor) return d;
  return Infinity;
}

function dispatch(typeP: Class, typeQ: Class): KLFn | null {
  const matches = registry.filter((r) => depth(typeP, r.p) < Infinity && depth(typeQ, r.q) < Infinity);
  if (!matches.length) return null;
  const key = (r: (typeof matches)[0]): [number, number] => [depth(typeP, r.p), depth(typeQ, r.q)];
  const left = matches.reduce((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return kb[0] < ka[0] || (kb[0] === ka[0] && kb[1] < ka[1]) ? b : a;
  });
  const right = matches.reduce((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return kb[1] < ka[1] || (kb[1] === ka[1] && kb[0] < ka[0]) ? b : a;
  });
  if (left.fn !== right.fn) {
    torch.warn(`Ambiguous kl_divergence(${typeP.name}, ${typeQ.name}). Please register_kl(${left.p.name}, ${right.q.name})`);
  }
  return left.fn;
}

/** KL(p || q), batched over the batch shape. */
export function klDivergence(p: Distribution, q: Distribution): Tensor {
  const tp = p.constructor as Class;
  const tq = q.constructor as Class;
  let row = memo.get(tp);
  if (!row) memo.set(tp, (row = new Map()));
  let fn = row.get(tq);
  if (fn === undefined) row.set(tq, (fn = dispatch(tp, tq)));
  if (!fn) throw new NotImplementedError(`No KL(p || q) is implemented for p type ${tp.name} and q type ${tq.name}`);
  return (fn as (p: Distribution, q: Distribution) => Tensor)(p, q);
}

const infinity = Infinity;

registerKL(Bernoulli, Bernoulli, (p, q) => {
  const t1 = p.probs.mul(torch.softplus(q.logits.neg()).sub(torch.softplus(p.logits.neg())));
  t1.indexPut_([q.probs.eq(0)], infinity);
  t1.indexPut_([p.probs.eq(0)], 0);
  const t2 = p.probs.neg().add(1).mul(torch.softplus(q.logits).sub(torch.softplus(p.logits)));
  t2.indexPut_([q.probs.eq(1)], infinity);
  t2.indexPut_([p.probs.eq(1)], 0);
  return t1.add(t2);
});

registerKL(Beta, Beta, (p, q) => {
  const sp = p.concentration1.add(p.concentration0);
  const sq = q.concentration1.add(q.concentration0);
  const t1 = q.concentration1.lgamma().add(q.concentration0.lgamma()).add(sp.lgamma());
  const t2 = p.concentration1.lgamma().add(p.concentration0.lgamma()).add(sq.lgamma());
  const t3 = p.concentration1.sub(q.concentration1).mul(torch.digamma(p.concentration1));
  const t4 = p.concentration0.sub(q.concentration0).mul(torch.digamma(p.concentration0));
  const t5 = sq.sub(sp).mul(torch.digamma(sp));
  return t1.sub(t2).add(t3).add(t4).add(t5);
});

registerKL(Binomial, Binomial, (p, q) => {
  if (p.totalCount.lt(q.totalCount).any().item<boolean>()) {
    throw new NotImplementedError('KL between Binomials where q.total_count > p.total_count is not implemented');
  }
  const kl = p.totalCount.mul(p.probs.mul(p.logits.sub(q.logits)).add(p.probs.neg().log1p()).sub(q.probs.neg().log1p()));
  const infIdxs = p.totalCount.gt(q.totalCount);
  return kl.indexPut_([infIdxs], infinity);
});

function klCategorical(p: Categorical, q: Categorical): Tensor {
  const t = p.probs.mul(p.logits.sub(q.logits));
  t.indexPut_([q.probs.eq(0).expandAs(t)], infinity);
  t.indexPut_([p.probs.eq(0).expandAs(t)], 0);
  return t.sum(-1);
}
registerKL(Categorical, Categorical, klCategorical);
registerKL(OneHotCategorical, OneHotCategorical, (p, q) => klCategorical(p._categorical, q._categorical));

registerKL(Dirichlet, Dirichlet, (p, q) => {
  const sp = p.concentration.sum(-1);
  const sq = q.concentration.sum(-1);
  const t1 = sp.lgamma().sub(sq.lgamma());
  const t2 = p.concentration.lgamma().sub(q.concentration.lgamma()).sum(-1);
  const t3 = p.concentration.sub(q.concentration);
  const t4 = p.concentration.digamma().sub(sp.digamma().unsqueeze(-1));
  return t1.sub(t2).add(t3.mul(t4).sum(-1));
});

registerKL(Exponential, Exponential, (p, q) => {
  const ratio = q.rate.div(p.rate);
  return ratio.log().neg().add(ratio).sub(1);
});

/** The Bregman divergence of the log normalizer, for two members of one exponential family. */
registerKL(ExponentialFamily, ExponentialFamily, (p, q) => {
  if (p.constructor !== q.constructor) {
    throw new NotImplementedError('The cross KL-divergence between different exponential families cannot                             be computed using Bregman divergences');
  }
  const pParams = p._naturalParams.map((t) => t.detach().requiresGrad_());
  const qParams = q._naturalParams;
  return torch.enableGrad(() => {
    const lgNormal = p._logNormalizer(...pParams);
    const gradients = torch.grad([lgNormal.sum()], pParams, { createGraph: true }) as Tensor[];
    let result = q._logNormalizer(...qParams).sub(lgNormal);
    pParams.forEach((pnp, i) => {
      result = result.sub(sumRightmost(qParams[i].sub(pnp).mul(gradients[i]), q.eventShape.length));
    });
    return result;
  });
});

registerKL(Gamma, Gamma, (p, q) => {
  const t1 = q.concentration.mul(p.rate.div(q.rate).log());
  const t2 = torch.lgamma(q.concentration).sub(torch.lgamma(p.concentration));
  const t3 = p.concentration.sub(q.concentration).mul(torch.digamma(p.concentration));
  const t4 = q.rate.sub(p.rate).mul(p.concentration.div(p.rate));
  return t1.add(t2).add(t3).add(t4);
});

registerKL(Laplace, Laplace, (p, q) => {
  const ratio = p.scale.div(q.scale);
  const locAbsDiff = p.loc.sub(q.loc).abs();
  const t1 = ratio.log().neg();
  const t2 = locAbsDiff.div(q.scale);
  const t3 = ratio.mul(torch.exp(locAbsDiff.neg().div(p.scale)));
  return t1.add(t2).add(t3).sub(1);
});

/** sum of squares of each matrix of a batch (the trace of X X^T). */
const batchTraceXXT = (bmat: Tensor): Tensor => {
  const n = bmat.size(-1);
  const m = bmat.size(-2);
  return bmat.reshape(-1, m * n).pow(2).sum(-1).reshape(bmat.shape.slice(0, -2));
};

registerKL(MultivariateNormal, MultivariateNormal, (p, q) => {
  if (!sameShape(p.eventShape, q.eventShape)) {
    throw new ValueError('KL-divergence between two Multivariate Normals with                          different event shapes cannot be computed');
  }
  const pL = p._unbroadcastedScaleTril;
  const qL = q._unbroadcastedScaleTril;
  const halfLogDet = (L: Tensor): Tensor => L.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);
  const halfTerm1 = halfLogDet(qL).sub(halfLogDet(pL));
  const combined = broadcastShapes(qL.shape.slice(0, -2), pL.shape.slice(0, -2));
  const n = p.eventShape[0];
  const term2 = batchTraceXXT(torch.linalg.solveTriangular(qL.expand([...combined, n, n]), pL.expand([...combined, n, n]), { upper: false }));
  const term3 = batchMahalanobis(qL, q.loc.sub(p.loc));
  return halfTerm1.add(term2.add(term3).sub(n).mul(0.5));
});

registerKL(Normal, Normal, (p, q) => {
  const varRatio = p.scale.div(q.scale).pow(2);
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
  return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5);
});

registerKL(Poisson, Poisson, (p, q) => p.rate.mul(p.rate.log().sub(q.rate.log())).sub(p.rate.sub(q.rate)));

registerKL(TransformedDistribution, TransformedDistribution, (p, q) => {
  const same = p.transforms.length === q.transforms.length && p.transforms.every((t, i) => t.equals(q.transforms[i]));
  if (!same || !sameShape(p.eventShape, q.eventShape)) throw new NotImplementedError();
  return klDivergence(p.baseDist, q.baseDist);
});

registerKL(Uniform, Uniform, (p, q) => {
  const result = q.high.sub(q.low).div(p.high.sub(p.low)).log();
  return result.indexPut_([q.low.gt(p.low).logicalOr(q.high.lt(p.high))], infinity);
});

registerKL(Independent, Independent, (p, q) => {
  if (p.reinterpretedBatchNdims !== q.reinterpretedBatchNdims) throw new NotImplementedError();
  return sumRightmost(klDivergence(p.baseDist, q.baseDist), p.reinterpretedBatchNdims);
});
