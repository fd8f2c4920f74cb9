// nn.AdaptiveLogSoftmaxWithLoss (torch/nn/modules/adaptive.py): a head over the frequent classes and
// one cluster per tail, each tail a low-rank Sequential(Linear, Linear) projection.
import { TorchError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { cat, argmax } from '../functional/torch';
import { slice as torchSlice } from '../../tensor/indexing';
import { Module } from '../module';
import { ModuleList, Sequential } from '../containers';
import { ArgsOf, signature } from '../../keywords';
import { logSoftmax } from '../functional/activation';
import { FACTORY_KEYS, FactoryOptions, Linear } from './linear';
import { pySize } from '../../py-format';

/** Python's _ASMoutput(output, loss): an array that also answers to .output and .loss. */
export type ASMOutput = [output: Tensor, loss: Tensor] & { readonly output: Tensor; readonly loss: Tensor };

function asmOutput(output: Tensor, loss: Tensor): ASMOutput {
  const values = [output, loss];
  Object.defineProperty(values, 'output', { value: output, enumerable: false });
  Object.defineProperty(values, 'loss', { value: loss, enumerable: false });
  const repr = () => `_ASMoutput(output=${String(output)}, loss=${String(loss)})`;
  Object.defineProperty(values, 'toString', { value: repr, enumerable: false });
  Object.defineProperty(values, Symbol.for('nodejs.util.inspect.custom'), { value: repr, enumerable: false });
  return values as ASMOutput;
}

/** AdaptiveLogSoftmaxWithLoss' parameters by name: (in_features, n_classes, cutoffs, div_value=4., head_bias=False, device=None, dtype=None). */
export interface AdaptiveLogSoftmaxWithLossArgs extends FactoryOptions {
  inFeatures: number;
  nClasses: number;
  cutoffs: readonly number[];
  divValue?: number;
  headBias?: boolean;
}
const ADAPTIVE = signature<AdaptiveLogSoftmaxWithLossArgs>()(['inFeatures', 'nClasses', 'cutoffs'], ['divValue', 'headBias', ...FACTORY_KEYS]);


export class AdaptiveLogSoftmaxWithLoss extends Module {
  readonly inFeatures: number;
  readonly nClasses: number;
  /** the given cutoffs with nClasses appended */
  readonly cutoffs: number[];
  readonly divValue: number;
  readonly headBias: boolean;
  readonly shortlistSize: number;
  readonly nClusters: number;
  readonly headSize: number;
  head: Linear;
  tail: ModuleList;

  /** AdaptiveLogSoftmaxWithLoss(inFeatures, nClasses, cutoffs, divValue = 4, headBias = false, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof ADAPTIVE>) {
    super();
    const { inFeatures, nClasses, cutoffs: given, divValue = 4.0, headBias = false, ...factory } = ADAPTIVE.bind('AdaptiveLogSoftmaxWithLoss', args);
    const cutoffs = [...given];
    const sorted = [...cutoffs].sort((a, b) => a - b);
    if (
      cutoffs.some((c, i) => c !== sorted[i]) || Math.min(...cutoffs) <= 0 || Math.max(...cutoffs) > nClasses - 1 ||
      new Set(cutoffs).size !== cutoffs.length || cutoffs.some((c) => !Number.isInteger(c))
    ) {
      throw new ValueError('cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1');
    }
    this.inFeatures = inFeatures;
    this.nClasses = nClasses;
    this.cutoffs = [...cutoffs, nClasses];
    this.divValue = divValue;
    this.headBias = headBias;
    this.shortlistSize = this.cutoffs[0];
    this.nClusters = this.cutoffs.length - 1;
    this.headSize = this.shortlistSize + this.nClusters;
    this.head = new Linear(inFeatures, this.headSize, { bias: headBias, ...factory });
    this.tail = new ModuleList();
    for (let i = 0; i < this.nClusters; i++) {
      const hsz = Math.floor(inFeatures / divValue ** (i + 1));
      const osz = this.cutoffs[i + 1] - this.cutoffs[i];
      this.tail.append(new Sequential(new Linear(inFeatures, hsz, { bias: false, ...factory }), new Linear(hsz, osz, { bias: false, ...factory })));
    }
  }

  resetParameters(): void {
    this.head.resetParameters();
    for (const projection of this.tail) for (const lin of projection as Sequential) (lin as Linear).resetParameters();
  }

  private cluster(i: number): Sequential {
    return this.tail.at(i) as Sequential;
  }

  forward(input_: Tensor, target_: Tensor): ASMOutput {
    const targDim = target_.dim();
    if (targDim === 1) {
      if (input_.size(0) !== target_.size(0)) throw new TorchError('Input and target should have the same size in the batch dimension.');
      if (input_.dim() !== 2) throw new TorchError(`('1D target tensor expects 2D input tensors, but found inputs with size', ${pySize(input_.shape)})`);
    } else if (targDim === 0) {
      if (input_.dim() !== 1) throw new TorchError(`('0D target tensor expects 1D input tensors, but found inputs with size', ${pySize(input_.shape)})`);
    } else {
      throw new TorchError('0D or 1D target tensor expected, multi-target not supported');
    }
    const isBatched = targDim > 0;
    const input = isBatched ? input_ : input_.unsqueeze(0);
    const target = isBatched ? target_ : target_.unsqueeze(0);
    let usedRows = 0;
    const batchSize = target.size(0);
    let output = input.newZeros([batchSize]);
    const gatherInds = target.newEmpty([batchSize]);
    const cutoffValues = [0, ...this.cutoffs];
    for (let i = 0; i < cutoffValues.length - 1; i++) {
      const low = cutoffValues[i];
      const high = cutoffValues[i + 1];
      const targetMask = target.ge(low).bitwiseAnd(target.lt(high));
      const rowIndices = targetMask.nonzero().squeeze();
      if (rowIndices.numel() === 0) continue;
      if (i === 0) {
        gatherInds.indexCopy_(0, rowIndices, target.index(targetMask));
      } else {
        const relativeTarget = target.index(targetMask).sub(low);
        const inputSubset = input.indexSelect(0, rowIndices);
        const clusterOutput = this.cluster(i - 1)(inputSubset) as Tensor;
        gatherInds.indexFill_(0, rowIndices, this.shortlistSize + i - 1);
        const clusterLogprob = logSoftmax(clusterOutput, { dim: 1 });
        const localLogprob = clusterLogprob.gather(1, relativeTarget.unsqueeze(1));
        output = output.indexCopy_(0, rowIndices, localLogprob.squeeze(1));
      }
      usedRows += rowIndices.numel();
    }
    if (usedRows !== batchSize) {
      throw new TorchError(
        `Target values should be in [0, ${this.nClasses - 1}], but values in range [${target.min().item()}, ${target.max().item()}] were found. `,
      );
    }
    const headLogprob = logSoftmax(this.head(input), { dim: 1 });
    output = output.add_(headLogprob.gather(1, gatherInds.unsqueeze(1)).squeeze());
    const loss = output.neg().mean();
    if (!isBatched) output = output.squeeze(0);
    return asmOutput(output, loss);
  }

  /** Python's _get_full_log_prob: log-probabilities of every class. */
  _getFullLogProb(input: Tensor, headOutput: Tensor): Tensor {
    const headLogprob = logSoftmax(headOutput, { dim: 1 });
    const parts = [headLogprob.index(':', torchSlice(0, this.shortlistSize))];
    for (let i = 0; i < this.nClusters; i++) {
      const clusterLogprob = logSoftmax(this.cluster(i)(input) as Tensor, { dim: 1 });
      parts.push(clusterLogprob.add(headLogprob.index(':', this.shortlistSize + i).unsqueeze(1)));
    }
    return cat(parts, 1);
  }

  /** log_prob(input): (N, n_classes) log-probabilities */
  logProb(input: Tensor): Tensor {
    return this._getFullLogProb(input, this.head(input));
  }

  /** predict(input): the most likely class of each row */
  predict(input: Tensor): Tensor {
    const headOutput = this.head(input);
    const output = argmax(headOutput, { dim: 1 });
    const notInShortlist = output.ge(this.shortlistSize);
    if (!notInShortlist.any().item()) return output;
    if (notInShortlist.all().item()) return argmax(this._getFullLogProb(input, headOutput), { dim: 1 });
    const logProb = this._getFullLogProb(input.index(notInShortlist), headOutput.index(notInShortlist));
    output.indexPut_([notInShortlist], argmax(logProb, { dim: 1 }));
    return output;
  }
}
