// kl.klDivergence(p, q) and registerKL: KL(p || q) by the most specific registered pair of classes,
// as Python's _dispatch_kl picks it (then memoised per pair of concrete classes).
import * as torch from './torch';
import { Tensor } from './torch';
import { Distribution } from './distribution';
import { ExponentialFamily } from './exp-family';
import { NotImplementedError, PyTypeError, ValueError } from '../errors';
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
import { Cauchy } from './cauchy';
import { HalfNormal } from './half-normal';
import { Gumbel } from './gumbel';
import { Geometric } from './geometric';
import { Pareto } from './pareto';
import { eulerConstant } from './utils';
import { ContinuousBernoulli } from './continuous-bernoulli';
import { LowRankMultivariateNormal, batchLowrankLogdet, batchLowrankMahalanobis } from './low-rank-multivariate-normal';

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

/**
 * Python's decorator form, `registerKl(TypeP, TypeQ)(fn)`: the same table as registerKL, returning fn.
 * Like kl.py's check (whose `not ... and issubclass` only ever fails inside issubclass), a class that
 * is not a Distribution passes, anything not a class is a TypeError.
 */
export function registerKl<P extends Class, Q extends Class>(typeP: P, typeQ: Q) {
  for (const t of [typeP, typeQ]) if (typeof t !== 'function') throw new PyTypeError('issubclass() arg 1 must be a class');
  return <F extends (p: InstanceType<P>, q: InstanceType<Q>) => Tensor>(fn: F): F => {
    registerKL(typeP, typeQ, fn);
    return fn;
  };
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

function klNormalNormal(p: Normal, q: Normal): Tensor {
  const varRatio = p.scale.div(q.scale).pow(2);
  const t1 = p.loc.sub(q.loc).div(q.scale).pow(2);
  return varRatio.add(t1).sub(1).sub(varRatio.log()).mul(0.5);
}
registerKL(Normal, Normal, klNormalNormal);

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

// ---- The pairs of Cauchy, HalfNormal, Gumbel, Geometric and Pareto (Python's kl.py) ----

const infiniteLike = (t: Tensor): Tensor => torch.fullLike(t, infinity);
const xLogX = (t: Tensor): Tensor => t.mul(t.log());

registerKL(Cauchy, Cauchy, (p, q) => {
  const t1 = p.scale.add(q.scale).pow(2).add(p.loc.sub(q.loc).pow(2)).log();
  const t2 = p.scale.mul(q.scale).mul(4).log();
  return t1.sub(t2);
});

registerKL(HalfNormal, HalfNormal, (p, q) => klNormalNormal(p.baseDist, q.baseDist));

registerKL(Geometric, Geometric, (p, q) => p.entropy().neg().sub(torch.log1p(q.probs.neg()).div(p.probs)).sub(q.logits));

registerKL(Gumbel, Gumbel, (p, q) => {
  const ct1 = p.scale.div(q.scale);
  const ct2 = q.loc.div(q.scale);
  const ct3 = p.loc.div(q.scale);
  const t1 = ct1.log().neg().sub(ct2).add(ct3);
  const t2 = ct1.mul(eulerConstant);
  const t3 = torch.exp(ct2.add(ct1.add(1).lgamma()).sub(ct3));
  return t1.add(t2).add(t3).sub(1 + eulerConstant);
});

registerKL(Pareto, Pareto, (p, q) => {
  const scaleRatio = p.scale.div(q.scale);
  const alphaRatio = q.alpha.div(p.alpha);
  const t1 = q.alpha.mul(scaleRatio.log());
  const t2 = alphaRatio.log().neg();
  const result = t1.add(t2).add(alphaRatio).sub(1);
  return result.indexPut_([p.scale.lt(q.scale)], infinity); // p's support starts below q's
});

registerKL(Beta, Pareto, (p) => infiniteLike(p.concentration1));
registerKL(Exponential, Pareto, (p) => infiniteLike(p.rate));
registerKL(Gamma, Pareto, (p) => infiniteLike(p.concentration));
registerKL(Laplace, Pareto, (p) => infiniteLike(p.loc));
registerKL(Normal, Pareto, (p) => infiniteLike(p.loc));
for (const Q of [Beta, Exponential, Gamma, Pareto, Uniform]) registerKL(Gumbel, Q, (p) => infiniteLike(p.loc));
for (const Q of [Beta, Uniform]) registerKL(Pareto, Q, (p) => infiniteLike(p.scale));

registerKL(Exponential, Gumbel, (p, q) => {
  const scaleRateProd = p.rate.mul(q.scale);
  const locScaleRatio = q.loc.div(q.scale);
  const t1 = scaleRateProd.log().sub(1);
  const t2 = torch.exp(locScaleRatio).mul(scaleRateProd).div(scaleRateProd.add(1));
  const t3 = scaleRateProd.reciprocal();
  return t1.sub(locScaleRatio).add(t2).add(t3);
});

registerKL(Gamma, Gumbel, (p, q) => {
  const betaScaleProd = p.rate.mul(q.scale);
  const locScaleRatio = q.loc.div(q.scale);
  const c = p.concentration;
  const t1 = c.sub(1).mul(c.digamma()).sub(c.lgamma()).sub(c);
  const t2 = betaScaleProd.log().add(c.div(betaScaleProd));
  const t3 = torch.exp(locScaleRatio).mul(betaScaleProd.reciprocal().add(1).pow(c.neg())).sub(locScaleRatio);
  return t1.add(t2).add(t3);
});

registerKL(Gumbel, Normal, (p, q) => {
  const paramRatio = p.scale.div(q.scale);
  const t1 = paramRatio.div(Math.sqrt(2 * Math.PI)).log();
  const t2 = paramRatio.mul(Math.PI).mul(0.5).pow(2).div(3);
  const t3 = p.loc.add(p.scale.mul(eulerConstant)).sub(q.loc).div(q.scale).pow(2).mul(0.5);
  return t1.neg().add(t2).add(t3).sub(eulerConstant + 1);
});

registerKL(Normal, Gumbel, (p, q) => {
  const meanScaleRatio = p.loc.div(q.scale);
  const varScaleSqrRatio = p.scale.div(q.scale).pow(2);
  const locScaleRatio = q.loc.div(q.scale);
  const t1 = varScaleSqrRatio.log().mul(0.5);
  const t2 = meanScaleRatio.sub(locScaleRatio);
  const t3 = torch.exp(meanScaleRatio.neg().add(varScaleSqrRatio.mul(0.5)).add(locScaleRatio));
  return t1.neg().add(t2).add(t3).sub(0.5 * (1 + Math.log(2 * Math.PI)));
});

registerKL(Pareto, Exponential, (p, q) => {
  const scaleRateProd = p.scale.mul(q.rate);
  const t1 = p.alpha.div(scaleRateProd).log();
  const t2 = p.alpha.reciprocal();
  const t3 = p.alpha.mul(scaleRateProd).div(p.alpha.sub(1));
  const result = t1.sub(t2).add(t3).sub(1);
  return result.indexPut_([p.alpha.le(1)], infinity);
});

registerKL(Pareto, Gamma, (p, q) => {
  const commonTerm = p.scale.log().add(p.alpha.reciprocal());
  const t1 = p.alpha.log().sub(commonTerm);
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.neg().add(1).mul(commonTerm);
  const t4 = q.rate.mul(p.alpha).mul(p.scale).div(p.alpha.sub(1));
  const result = t1.add(t2).add(t3).add(t4).sub(1);
  return result.indexPut_([p.alpha.le(1)], infinity);
});

registerKL(Pareto, Normal, (p, q) => {
  const varNormal = q.scale.pow(2).mul(2);
  const commonTerm = p.scale.div(p.alpha.sub(1));
  const t1 = q.scale.mul(Math.sqrt(2 * Math.PI)).mul(p.alpha).div(p.scale).log();
  const t2 = p.alpha.reciprocal();
  const t3 = p.alpha.mul(commonTerm.pow(2)).div(p.alpha.sub(2));
  const t4 = p.alpha.mul(commonTerm).sub(q.loc).pow(2);
  const result = t1.sub(t2).add(t3.add(t4).div(varNormal)).sub(1);
  return result.indexPut_([p.alpha.le(2)], infinity);
});

registerKL(Uniform, Gumbel, (p, q) => {
  const commonTerm = q.scale.div(p.high.sub(p.low));
  const highLocDiff = p.high.sub(q.loc).div(q.scale);
  const lowLocDiff = p.low.sub(q.loc).div(q.scale);
  const t1 = commonTerm.log().add(highLocDiff.add(lowLocDiff).mul(0.5));
  const t2 = commonTerm.mul(torch.exp(highLocDiff.neg()).sub(torch.exp(lowLocDiff.neg())));
  return t1.sub(t2);
});

registerKL(Uniform, Pareto, (p, q) => {
  const supportUniform = p.high.sub(p.low);
  const t1 = q.alpha.mul(q.scale.pow(q.alpha)).mul(supportUniform).log();
  const t2 = xLogX(p.high).sub(xLogX(p.low)).sub(supportUniform).div(supportUniform);
  const result = t2.mul(q.alpha.add(1)).sub(t1);
  return result.indexPut_([p.low.lt(q.scale)], infinity);
});

// ---- LowRankMultivariateNormal with itself and MultivariateNormal ----

const GAP = ' '.repeat(26); // Python's messages keep the source's continuation indent
const lowRankLogdet = (p: LowRankMultivariateNormal): Tensor => batchLowrankLogdet(p._unbroadcastedCovFactor, p._unbroadcastedCovDiag, p._capacitanceTril);
const lowRankMahalanobis = (q: LowRankMultivariateNormal, x: Tensor): Tensor => batchLowrankMahalanobis(q._unbroadcastedCovFactor, q._unbroadcastedCovDiag, x, q._capacitanceTril);
/** A with A^T A = inv(qD) qW inv(qC) qW^T inv(qD), the low-rank part of q's precision. */
const lowRankA = (q: LowRankMultivariateNormal): Tensor =>
  torch.linalg.solveTriangular(q._capacitanceTril, q._unbroadcastedCovFactor.mT.div(q._unbroadcastedCovDiag.unsqueeze(-2)), { upper: false });
const halfLogdetTril = (L: Tensor): Tensor => L.diagonal({ dim1: -2, dim2: -1 }).log().sum(-1);

registerKL(LowRankMultivariateNormal, LowRankMultivariateNormal, (p, q) => {
  if (!sameShape(p.eventShape, q.eventShape)) {
    throw new ValueError(`KL-divergence between two Low Rank Multivariate Normals with${GAP}different event shapes cannot be computed`);
  }
  const term1 = lowRankLogdet(q).sub(lowRankLogdet(p));
  const term3 = lowRankMahalanobis(q, q.loc.sub(p.loc));
  const A = lowRankA(q);
  const term21 = p._unbroadcastedCovDiag.div(q._unbroadcastedCovDiag).sum(-1);
  const term22 = batchTraceXXT(p._unbroadcastedCovFactor.mul(q._unbroadcastedCovDiag.rsqrt().unsqueeze(-1)));
  const term23 = batchTraceXXT(A.mul(p._unbroadcastedCovDiag.sqrt().unsqueeze(-2)));
  const term24 = batchTraceXXT(A.matmul(p._unbroadcastedCovFactor));
  const term2 = term21.add(term22).sub(term23).sub(term24);
  return term1.add(term2).add(term3).sub(p.eventShape[0]).mul(0.5);
});

registerKL(MultivariateNormal, LowRankMultivariateNormal, (p, q) => {
  if (!sameShape(p.eventShape, q.eventShape)) {
    throw new ValueError(`KL-divergence between two (Low Rank) Multivariate Normals with${GAP}different event shapes cannot be computed`);
  }
  const term1 = lowRankLogdet(q).sub(halfLogdetTril(p._unbroadcastedScaleTril).mul(2));
  const term3 = lowRankMahalanobis(q, q.loc.sub(p.loc));
  const A = lowRankA(q);
  const term21 = batchTraceXXT(p._unbroadcastedScaleTril.mul(q._unbroadcastedCovDiag.rsqrt().unsqueeze(-1)));
  const term22 = batchTraceXXT(A.matmul(p._unbroadcastedScaleTril));
  return term1.add(term21.sub(term22)).add(term3).sub(p.eventShape[0]).mul(0.5);
});

registerKL(LowRankMultivariateNormal, MultivariateNormal, (p, q) => {
  if (!sameShape(p.eventShape, q.eventShape)) {
    throw new ValueError(`KL-divergence between two (Low Rank) Multivariate Normals with${GAP}different event shapes cannot be computed`);
  }
  const term1 = halfLogdetTril(q._unbroadcastedScaleTril).mul(2).sub(lowRankLogdet(p));
  const term3 = batchMahalanobis(q._unbroadcastedScaleTril, q.loc.sub(p.loc));
  const combined = broadcastShapes(q._unbroadcastedScaleTril.shape.slice(0, -2), p._unbroadcastedCovFactor.shape.slice(0, -2));
  const n = p.eventShape[0];
  const qScaleTril = q._unbroadcastedScaleTril.expand([...combined, n, n]);
  const pCovFactor = p._unbroadcastedCovFactor.expand([...combined, n, p.covFactor.size(-1)]);
  const pCovDiag = torch.diagEmbed(p._unbroadcastedCovDiag.sqrt()).expand([...combined, n, n]);
  const term21 = batchTraceXXT(torch.linalg.solveTriangular(qScaleTril, pCovFactor, { upper: false }));
  const term22 = batchTraceXXT(torch.linalg.solveTriangular(qScaleTril, pCovDiag, { upper: false }));
  return term1.add(term21.add(term22)).add(term3).sub(n).mul(0.5);
});

// ---- ContinuousBernoulli (support [0, 1]) ----

registerKL(ContinuousBernoulli, ContinuousBernoulli, (p, q) => {
  const t1 = p.mean.mul(p.logits.sub(q.logits));
  const t2 = p._contBernLogNorm().add(torch.log1p(p.probs.neg()));
  const t3 = q._contBernLogNorm().neg().sub(torch.log1p(q.probs.neg()));
  return t1.add(t2).add(t3);
});

/** -H(p) - E_p[log q] for q a ContinuousBernoulli, given p's entropy and mean. */
const crossContinuousBernoulli = (entropy: Tensor, mean: Tensor, q: ContinuousBernoulli): Tensor =>
  entropy.neg().sub(mean.mul(q.logits)).sub(torch.log1p(q.probs.neg())).sub(q._contBernLogNorm());

registerKL(Beta, ContinuousBernoulli, (p, q) => crossContinuousBernoulli(p.entropy(), p.mean, q));

registerKL(Uniform, ContinuousBernoulli, (p, q) => {
  const result = crossContinuousBernoulli(p.entropy(), p.mean, q);
  // infinite where p reaches (or touches) the edges of [0, 1], as Python compares
  return torch.where(torch.max(torch.ge(p.high, 1.0), torch.le(p.low, 0.0)), torch.onesLike(result).mul(infinity), result);
});

registerKL(ContinuousBernoulli, Exponential, (p, q) => p.entropy().neg().sub(torch.log(q.rate)).add(q.rate.mul(p.mean)));

registerKL(ContinuousBernoulli, Normal, (p, q) => {
  const t1 = p.entropy().neg();
  const t2 = torch.square(q.loc.div(q.scale)).add(Math.log(2.0 * Math.PI)).mul(0.5).add(torch.log(q.scale));
  const t3 = p.variance.add(torch.square(p.mean)).sub(q.loc.mul(2.0).mul(p.mean)).div(torch.square(q.scale).mul(2.0));
  return t1.add(t2).add(t3);
});

registerKL(ContinuousBernoulli, Uniform, (p, q) => {
  const result = p.entropy().neg().add(q.high.sub(q.low).log());
  // Python's comparison as written: finite only where q.low < 0 and q.high > 1
  return torch.where(torch.max(torch.ge(q.low, 0.0), torch.le(q.high, 1.0)), torch.onesLike(result).mul(infinity), result);
});

registerKL(ContinuousBernoulli, Pareto, (p) => infiniteLike(p.probs));
registerKL(Exponential, ContinuousBernoulli, (p) => infiniteLike(p.rate));
registerKL(Gamma, ContinuousBernoulli, (p) => infiniteLike(p.concentration));
registerKL(Gumbel, ContinuousBernoulli, (p) => infiniteLike(p.loc));
registerKL(Laplace, ContinuousBernoulli, (p) => infiniteLike(p.loc));
registerKL(Normal, ContinuousBernoulli, (p) => infiniteLike(p.loc));
registerKL(Pareto, ContinuousBernoulli, (p) => infiniteLike(p.scale));

// ---- Pairs of different families among Bernoulli, Beta, Exponential, Gamma, Laplace, Normal, Poisson, Uniform ----

registerKL(Bernoulli, Poisson, (p, q) => p.entropy().neg().sub(p.probs.mul(q.rate.log()).sub(q.rate)));

registerKL(Beta, Exponential, (p, q) =>
  p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration1.div(p.concentration1.add(p.concentration0)))),
);

registerKL(Beta, Gamma, (p, q) => {
  const t1 = p.entropy().neg();
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.sub(1).mul(p.concentration1.digamma().sub(p.concentration1.add(p.concentration0).digamma()));
  const t4 = q.rate.mul(p.concentration1).div(p.concentration1.add(p.concentration0));
  return t1.add(t2).sub(t3).add(t4);
});

registerKL(Beta, Normal, (p, q) => {
  const eBeta = p.concentration1.div(p.concentration1.add(p.concentration0));
  const varNormal = q.scale.pow(2);
  const t1 = p.entropy().neg();
  const t2 = varNormal.mul(2 * Math.PI).log().mul(0.5);
  const t3 = eBeta.mul(eBeta.neg().add(1)).div(p.concentration1.add(p.concentration0).add(1)).add(eBeta.pow(2)).mul(0.5);
  const t4 = q.loc.mul(eBeta);
  const t5 = q.loc.pow(2).mul(0.5);
  return t1.add(t2).add(t3.sub(t4).add(t5).div(varNormal));
});

registerKL(Beta, Uniform, (p, q) => {
  const result = p.entropy().neg().add(q.high.sub(q.low).log());
  return result.indexPut_([q.low.gt(0).logicalOr(q.high.lt(1))], infinity); // q must cover [0, 1]
});

registerKL(Exponential, Gamma, (p, q) => {
  const ratio = q.rate.div(p.rate);
  const t1 = q.concentration.neg().mul(torch.log(ratio));
  return t1.add(ratio).add(q.concentration.lgamma()).add(q.concentration.mul(eulerConstant)).sub(1 + eulerConstant);
});

registerKL(Exponential, Normal, (p, q) => {
  const varNormal = q.scale.pow(2);
  const rateSqr = p.rate.pow(2);
  const t1 = torch.log(rateSqr.mul(varNormal).mul(2).mul(Math.PI)).mul(0.5);
  const t2 = rateSqr.reciprocal();
  const t3 = q.loc.div(p.rate);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.sub(1).add(t2.sub(t3).add(t4).div(varNormal));
});

registerKL(Gamma, Exponential, (p, q) => p.entropy().neg().sub(q.rate.log()).add(q.rate.mul(p.concentration).div(p.rate)));

registerKL(Gamma, Normal, (p, q) => {
  const varNormal = q.scale.pow(2);
  const betaSqr = p.rate.pow(2);
  const c = p.concentration;
  const t1 = torch.log(betaSqr.mul(varNormal).mul(2).mul(Math.PI)).mul(0.5).sub(c).sub(c.lgamma());
  const t2 = c.pow(2).add(c).mul(0.5).div(betaSqr);
  const t3 = q.loc.mul(c).div(p.rate);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.add(c.sub(1).mul(c.digamma())).add(t2.sub(t3).add(t4).div(varNormal));
});

registerKL(Laplace, Normal, (p, q) => {
  const varNormal = q.scale.pow(2);
  const scaleSqrVarRatio = p.scale.pow(2).div(varNormal);
  const t1 = torch.log(scaleSqrVarRatio.mul(2).div(Math.PI)).mul(0.5);
  const t2 = p.loc.pow(2).mul(0.5);
  const t3 = p.loc.mul(q.loc);
  const t4 = q.loc.pow(2).mul(0.5);
  return t1.neg().add(scaleSqrVarRatio).add(t2.sub(t3).add(t4).div(varNormal)).sub(1);
});

registerKL(Normal, Laplace, (p, q) => {
  const locDiff = p.loc.sub(q.loc);
  const scaleRatio = p.scale.div(q.scale);
  const locDiffScaleRatio = locDiff.div(p.scale);
  const t1 = torch.log(scaleRatio);
  const t2 = p.scale.mul(Math.sqrt(2 / Math.PI)).mul(torch.exp(locDiffScaleRatio.pow(2).mul(-0.5)));
  const t3 = locDiff.mul(torch.erf(locDiffScaleRatio.mul(Math.sqrt(0.5))));
  return t1.neg().add(t2.add(t3).div(q.scale)).sub(0.5 * (1 + Math.log(0.5 * Math.PI)));
});

registerKL(Uniform, Beta, (p, q) => {
  const commonTerm = p.high.sub(p.low);
  const t1 = torch.log(commonTerm);
  const t2 = q.concentration1.sub(1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(commonTerm)).div(commonTerm);
  const t3 = q.concentration0.sub(1).mul(xLogX(p.high.neg().add(1)).sub(xLogX(p.low.neg().add(1))).add(commonTerm)).div(commonTerm);
  const t4 = q.concentration1.lgamma().add(q.concentration0.lgamma()).sub(q.concentration1.add(q.concentration0).lgamma());
  const result = t3.add(t4).sub(t1).sub(t2);
  return result.indexPut_([p.high.gt(1).logicalOr(p.low.lt(0))], infinity); // p must lie in [0, 1]
});

registerKL(Uniform, Exponential, (p, q) => {
  const result = q.rate.mul(p.high.add(p.low)).div(2).sub(p.high.sub(p.low).mul(q.rate).log());
  return result.indexPut_([p.low.lt(0)], infinity);
});

registerKL(Uniform, Gamma, (p, q) => {
  const commonTerm = p.high.sub(p.low);
  const t1 = commonTerm.log();
  const t2 = q.concentration.lgamma().sub(q.concentration.mul(q.rate.log()));
  const t3 = q.concentration.neg().add(1).mul(xLogX(p.high).sub(xLogX(p.low)).sub(commonTerm)).div(commonTerm);
  const t4 = q.rate.mul(p.high.add(p.low)).div(2);
  const result = t1.neg().add(t2).add(t3).add(t4);
  return result.indexPut_([p.low.lt(0)], infinity);
});

registerKL(Uniform, Normal, (p, q) => {
  const commonTerm = p.high.sub(p.low);
  const t1 = q.scale.mul(Math.sqrt(Math.PI * 2)).div(commonTerm).log();
  const t2 = commonTerm.pow(2).div(12);
  const t3 = p.high.add(p.low).sub(q.loc.mul(2)).div(2).pow(2);
  return t1.add(t2.add(t3).mul(0.5).div(q.scale.pow(2)));
});

for (const Q of [Beta, Uniform]) registerKL(Exponential, Q, (p) => infiniteLike(p.rate));
for (const Q of [Beta, Uniform]) registerKL(Gamma, Q, (p) => infiniteLike(p.concentration));
for (const Q of [Beta, Exponential, Gamma, Uniform]) registerKL(Laplace, Q, (p) => infiniteLike(p.loc));
for (const Q of [Beta, Exponential, Gamma, Uniform]) registerKL(Normal, Q, (p) => infiniteLike(p.loc));
for (const Q of [Bernoulli, Binomial]) registerKL(Poisson, Q, (p) => infiniteLike(p.rate));
