// nn.PairwiseDistance and nn.CosineSimilarity (torch/nn/modules/distance.py): settings only, the
// forward is F.pairwise_distance / F.cosine_similarity. Neither prints its settings, as in PyTorch.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { ArgsOf, signature } from '../../keywords';
import { cosineSimilarity, pairwiseDistance } from '../functional/distance';

/** PairwiseDistance's parameters by name: PairwiseDistance(p=2., eps=1e-6, keepdim=False). */
export interface PairwiseDistanceArgs {
  p?: number;
  eps?: number;
  keepdim?: boolean;
}
const PAIRWISE = signature<PairwiseDistanceArgs>()([], ['p', 'eps', 'keepdim']);

export class PairwiseDistance extends Module {
  /** the norm degree (Python keeps `p` as `norm`) */
  readonly norm: number;
  readonly eps: number;
  readonly keepdim: boolean;

  /** PairwiseDistance(p = 2, eps = 1e-6, keepdim = false), any of them by name */
  constructor(...args: ArgsOf<typeof PAIRWISE>) {
    super();
    const o = PAIRWISE.bind('PairwiseDistance', args);
    this.norm = o.p ?? 2;
    this.eps = o.eps ?? 1e-6;
    this.keepdim = o.keepdim ?? false;
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.norm, this.eps, this.keepdim);
  }
}

/** CosineSimilarity's parameters by name: CosineSimilarity(dim=1, eps=1e-8). */
export interface CosineSimilarityArgs {
  dim?: number;
  eps?: number;
}
const COSINE = signature<CosineSimilarityArgs>()([], ['dim', 'eps']);

export class CosineSimilarity extends Module {
  readonly dim: number;
  readonly eps: number;

  /** CosineSimilarity(dim = 1, eps = 1e-8), any of them by name */
  constructor(...args: ArgsOf<typeof COSINE>) {
    super();
    const o = COSINE.bind('CosineSimilarity', args);
    this.dim = o.dim ?? 1;
    this.eps = o.eps ?? 1e-8;
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}
