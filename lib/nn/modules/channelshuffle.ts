// torch.nn.modules.channelshuffle
export { ChannelShuffle } from '../layers/pixel-shuffle';
