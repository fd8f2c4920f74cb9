// nn.PixelShuffle, nn.PixelUnshuffle (torch/nn/modules/pixelshuffle.py) and nn.ChannelShuffle:
// rearrangements between channels and space (or among channel groups).
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { pixelShuffle, pixelUnshuffle, channelShuffle } from '../functional/vision';
import { ArgsOf, signature } from '../../keywords';

const PIXEL_SHUFFLE = signature<{ upscaleFactor: number }>()(['upscaleFactor'], []);
const PIXEL_UNSHUFFLE = signature<{ downscaleFactor: number }>()(['downscaleFactor'], []);
const CHANNEL_SHUFFLE = signature<{ groups: number }>()(['groups'], []);

export class PixelShuffle extends Module {
  /** PixelShuffle(upscale_factor): (*, C*r^2, H, W) -> (*, C, H*r, W*r) */
  readonly upscaleFactor: number;

  constructor(...args: ArgsOf<typeof PIXEL_SHUFFLE>) {
    super();
    this.upscaleFactor = PIXEL_SHUFFLE.bind('PixelShuffle', args).upscaleFactor;
  }

  forward(input: Tensor): Tensor {
    return pixelShuffle(input, this.upscaleFactor);
  }

  extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

export class PixelUnshuffle extends Module {
  /** PixelUnshuffle(downscale_factor): (*, C, H*r, W*r) -> (*, C*r^2, H, W) */
  readonly downscaleFactor: number;

  constructor(...args: ArgsOf<typeof PIXEL_UNSHUFFLE>) {
    super();
    this.downscaleFactor = PIXEL_UNSHUFFLE.bind('PixelUnshuffle', args).downscaleFactor;
  }

  forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }

  extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}

export class ChannelShuffle extends Module {
  /** ChannelShuffle(groups): channels split into groups, then interleaved */
  readonly groups: number;

  constructor(...args: ArgsOf<typeof CHANNEL_SHUFFLE>) {
    super();
    this.groups = CHANNEL_SHUFFLE.bind('ChannelShuffle', args).groups;
  }

  forward(input: Tensor): Tensor {
    return channelShuffle(input, this.groups);
  }

  extraRepr(): string {
    return `groups=${this.groups}`;
  }
}
