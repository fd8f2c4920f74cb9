// torch.nn.modules.sparse
export { Embedding, EmbeddingBag } from '../layers/embedding';
