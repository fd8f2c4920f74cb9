// nn.qat.dynamic.Linear (torch/ao/nn/qat/dynamic/modules/linear.py): a qat Linear for dynamic
// quantization, whose activations are observed batch by batch: the qconfig's activation observer
// must keep no history (a moving average with averaging constant 1).
import { ValueError } from '../../../errors';
import { ArgsOf, signature } from '../../../keywords';
import { activationIsMemoryless, QConfig } from '../../../ao/quantization/qconfig';
import { Linear as QatLinear, QatLinearArgs } from '../linear';

const DYNAMIC_QAT_LINEAR = signature<QatLinearArgs>()(['inFeatures', 'outFeatures'], ['bias', 'qconfig', 'device', 'dtype']);

export class Linear extends QatLinear {
  /** Linear(inFeatures, outFeatures, bias = true, qconfig, { device, dtype }); qconfig's activation must be memoryless. */
  constructor(...args: ArgsOf<typeof DYNAMIC_QAT_LINEAR>) {
    const bound = DYNAMIC_QAT_LINEAR.bind(new.target.name, args);
    super(bound);
    if (!activationIsMemoryless(this.qconfig as QConfig)) {
      throw new ValueError('Dynamic QAT requires a memoryless observer.This means a MovingAverage observer with averaging constant equal to 1');
    }
  }
}
