// Distances and similarities: F.cosine_similarity, F.pairwise_distance, F.pdist.
import { Tensor, aten } from './torch';
import { Rest, parse } from './args';

const op = { cosineSimilarity: aten('cosine_similarity'), pairwiseDistance: aten('pairwise_distance'), pdist: aten('pdist') };

type CosineOptions = { dim?: number; eps?: number };
const COSINE = ['dim', 'eps'] as const;
/** F.cosine_similarity(x1, x2, dim=1, eps=1e-8) */
export function cosineSimilarity(x1: Tensor, x2: Tensor, ...rest: Rest<CosineOptions, typeof COSINE>): Tensor {
  const o = parse<CosineOptions>('cosineSimilarity', rest, COSINE);
  return op.cosineSimilarity([x1, x2, o.dim ?? 1, o.eps ?? 1e-8]) as Tensor;
}

type PairwiseOptions = { p?: number; eps?: number; keepdim?: boolean };
const PAIRWISE = ['p', 'eps', 'keepdim'] as const;
/** F.pairwise_distance(x1, x2, p=2, eps=1e-6, keepdim=False): ||x1 - x2 + eps||_p over the last dim */
export function pairwiseDistance(x1: Tensor, x2: Tensor, ...rest: Rest<PairwiseOptions, typeof PAIRWISE>): Tensor {
  const o = parse<PairwiseOptions>('pairwiseDistance', rest, PAIRWISE);
  return op.pairwiseDistance([x1, x2, o.p ?? 2, o.eps ?? 1e-6, o.keepdim ?? false]) as Tensor;
}

/** F.pdist(input, p=2): distances between all row pairs, upper triangle flattened */
export const pdist = (input: Tensor, p = 2): Tensor => op.pdist([input, p]) as Tensor;
