// torch.nn.modules.distance
export { PairwiseDistance, CosineSimilarity } from '../layers/distance';
