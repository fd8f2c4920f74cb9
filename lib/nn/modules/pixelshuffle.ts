// torch.nn.modules.pixelshuffle
export { PixelShuffle, PixelUnshuffle } from '../layers/pixel-shuffle';
