// nn.PixelShuffle, nn.PixelUnshuffle (torch/nn/modules/pixelshuffle.py) and nn.ChannelShuffle:
// rearrangements between channels and space (or among channel groups).
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { pixelShuffle, pixelUnshuffle, channelShuffle } from '../functional/vision';

export class PixelShuffle extends Module {
  /** PixelShuffle(upscale_factor): (*, C*r^2, H, W) -> (*, C, H*r, W*r) */
  constructor(readonly upscaleFactor: number) {
    super();
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
  constructor(readonly downscaleFactor: number) {
    super();
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
  constructor(readonly groups: number) {
    super();
  }

  forward(input: Tensor): Tensor {
    return channelShuffle(input, this.groups);
  }

  extraRepr(): string {
    return `groups=${this.groups}`;
  }
}
