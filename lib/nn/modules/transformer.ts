// torch.nn.modules.transformer
export { Transformer, TransformerEncoder, TransformerDecoder, TransformerEncoderLayer, TransformerDecoderLayer } from '../layers/transformer';
