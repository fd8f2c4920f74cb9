// torchvision.ops.FeaturePyramidNetwork (feature_pyramid_network.py): lateral 1x1 convs and 3x3
// output convs over feature maps given in increasing depth, the top-down pathway adding each
// coarser map (nearest-upsampled) to the next lateral; optional extra levels (LastLevelMaxPool for
// Faster R-CNN, LastLevelP6P7 for RetinaNet). Inputs and outputs are Python's OrderedDicts as plain
// objects, in key order.
import { PyTypeError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import * as nn from '../../nn';
import { LocalMetadata, Module } from '../../nn/module';
import { maxPool2d } from '../../nn/functional/pooling';
import { relu } from '../../nn/functional/activation';
import { interpolate } from '../../nn/functional/vision';
import { constant_, kaimingUniform_ } from '../../nn/init';
import { ArgsOf, signature } from '../../keywords';
import { Conv2dNormActivation, NormLayer } from '../models/ops';

/** The base of the extra blocks: (fpn results, the original features, names) -> extended results and names. */
export abstract class ExtraFPNBlock extends Module {
  abstract forward(results: Tensor[], x: Tensor[], names: string[]): [Tensor[], string[]];
}

/** A stride-2 max pool of the last level (kernel 1), named 'pool'. */
export class LastLevelMaxPool extends ExtraFPNBlock {
  forward(x: Tensor[], _y: Tensor[], names: string[]): [Tensor[], string[]] {
    names.push('pool');
    x.push(maxPool2d(x[x.length - 1], 1, 2, 0));
    return [x, names];
  }
}

/** RetinaNet's P6 and P7: stride-2 3x3 convs on P5 (or C5 when channels differ), P7 after a ReLU. */
export class LastLevelP6P7 extends ExtraFPNBlock {
  p6: nn.Conv2d;
  p7: nn.Conv2d;
  readonly use_P5: boolean;

  constructor(inChannels: number, outChannels: number) {
    super();
    this.p6 = new nn.Conv2d(inChannels, outChannels, 3, 2, 1);
    this.p7 = new nn.Conv2d(outChannels, outChannels, 3, 2, 1);
    for (const m of [this.p6, this.p7]) {
      kaimingUniform_(m.weight, { a: 1 });
      constant_(m.bias!, 0);
    }
    this.use_P5 = inChannels === outChannels;
  }

  forward(p: Tensor[], c: Tensor[], names: string[]): [Tensor[], string[]] {
    const x = this.use_P5 ? p[p.length - 1] : c[c.length - 1];
    const p6 = this.p6(x) as Tensor;
    const p7 = this.p7(relu(p6)) as Tensor;
    p.push(p6, p7);
    names.push('p6', 'p7');
    return [p, names];
  }
}

export interface FeaturePyramidNetworkArgs {
  inChannelsList: readonly number[];
  outChannels: number;
  extraBlocks?: ExtraFPNBlock | null;
  /** a normalisation layer factory (channels) => Module; default none (the convs get biases) */
  normLayer?: NormLayer | null;
}
const FPN = signature<FeaturePyramidNetworkArgs>()(['inChannelsList', 'outChannels'], ['extraBlocks', 'normLayer']);

/** FeaturePyramidNetwork(in_channels_list, out_channels, extra_blocks=None, norm_layer=None) */
export class FeaturePyramidNetwork extends Module {
  inner_blocks: nn.ModuleList;
  layer_blocks: nn.ModuleList;
  extra_blocks: ExtraFPNBlock | null;

  constructor(...args: ArgsOf<typeof FPN>) {
    super();
    const { inChannelsList, outChannels, extraBlocks = null, normLayer = null } = FPN.bind('FeaturePyramidNetwork', args);
    this.inner_blocks = new nn.ModuleList();
    this.layer_blocks = new nn.ModuleList();
    for (const inChannels of inChannelsList) {
      if (inChannels === 0) throw new ValueError('in_channels=0 is currently not supported');
      this.inner_blocks.append(new Conv2dNormActivation(inChannels, outChannels, { kernelSize: 1, padding: 0, normLayer, activationLayer: null }));
      this.layer_blocks.append(new Conv2dNormActivation(outChannels, outChannels, { kernelSize: 3, normLayer, activationLayer: null }));
    }
    // torchvision re-initialises every conv afterwards, in modules() order (all lateral ones first)
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        kaimingUniform_(m.weight, { a: 1 });
        if (m.bias) constant_(m.bias, 0);
      }
    }
    if (extraBlocks !== null && !(extraBlocks instanceof ExtraFPNBlock)) {
      throw new PyTypeError(`extra_blocks should be of type ExtraFPNBlock not ${Object.getPrototypeOf(extraBlocks)?.constructor?.name}`);
    }
    this.extra_blocks = extraBlocks;
  }

  // Checkpoints from before version 2 name the convs inner_blocks.i.weight (no Conv2dNormActivation)
  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], localMetadata: LocalMetadata = {}): void {
    const version = localMetadata.version as number | undefined;
    if (version === undefined || version < 2) {
      for (const block of ['inner_blocks', 'layer_blocks']) {
        for (let i = 0; i < this.inner_blocks.length; i++) {
          for (const type of ['weight', 'bias']) {
            const oldKey = `${prefix}${block}.${i}.${type}`;
            if (stateDict.has(oldKey)) {
              stateDict.set(`${prefix}${block}.${i}.0.${type}`, stateDict.get(oldKey));
              stateDict.delete(oldKey);
            }
          }
        }
      }
    }
    super._loadFromStateDict(stateDict, prefix, missing, unexpected, errors, localMetadata);
  }

  forward(x: Record<string, Tensor>): Record<string, Tensor> {
    let names = Object.keys(x);
    const feats = Object.values(x);
    const inner = (i: number, t: Tensor) => this.inner_blocks.at(i)(t) as Tensor;
    const layer = (i: number, t: Tensor) => this.layer_blocks.at(i)(t) as Tensor;
    const last = feats.length - 1;
    let lastInner = inner(last, feats[last]);
    let results = [layer(last, lastInner)];
    for (let idx = last - 1; idx >= 0; idx--) {
      const lateral = inner(idx, feats[idx]);
      const topDown = interpolate(lastInner, { size: lateral.shape.slice(-2), mode: 'nearest' });
      lastInner = lateral.add(topDown);
      results.unshift(layer(idx, lastInner));
    }
    if (this.extra_blocks) [results, names] = this.extra_blocks(results, feats, names) as [Tensor[], string[]];
    const out: Record<string, Tensor> = {};
    names.forEach((k, i) => (out[k] = results[i]));
    return out;
  }
}
FeaturePyramidNetwork.prototype._version = 2; // torchvision's, saved in state_dict metadata
