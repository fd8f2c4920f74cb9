// The loss modules (torch/nn/modules/loss.py), generated from one table: each row gives PyTorch's
// constructor arguments in order with their defaults, which of them are buffers (`weight`,
// `pos_weight`, in the state_dict as in PyTorch), and the F call of forward. Arguments are passed
// as in Python: any prefix positionally, the rest in a trailing options object
// (new nn.CrossEntropyLoss(w, { labelSmoothing: 0.1 })). The deprecated sizeAverage/reduce pair
// is folded into `reduction` with PyTorch's warning, as _Loss does. Losses print no settings.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import * as F from '../functional';
import { Rest, parse } from '../functional/args';
import { LegacyReduction, Reduction, reductionOf } from '../functional/enums';
import { PairwiseDistance } from './distance';

type Settings<O> = Readonly<Required<Omit<O, keyof LegacyReduction>>>;
/** A loss module built from a table row: settings as readonly properties, buffers by PyTorch's names. */
export type LossModule<O, A extends unknown[], B = unknown> = Module & Settings<O> & B & { forward(...inputs: A): Tensor };
export type LossClass<O, N extends readonly (keyof O)[], A extends unknown[], B = unknown> = new (...args: Rest<O, N>) => LossModule<O, A, B>;

interface Row<O, A extends unknown[], B> {
  defaults: { [K in keyof Required<O>]: O[K] };
  /** constructor arguments held as buffers: argument name -> buffer (state_dict) name */
  buffers?: Partial<Record<keyof O, string>>;
  /** names only accepted in the options object (Python's keyword-only arguments) */
  kwOnly?: readonly string[];
  forward: (m: LossModule<O, A, B>, ...inputs: A) => Tensor;
  check?: (m: LossModule<O, A, B>) => void;
}

const LEGACY = ['sizeAverage', 'reduce'];

function define<O extends { reduction?: string }, N extends readonly (keyof O & string)[], A extends unknown[], B = unknown>(
  name: string,
  args: N,
  row: Row<O, A, B>,
): LossClass<O, N, A, B> {
  const cls = class extends Module {
    constructor(...rest: unknown[]) {
      super();
      const given = parse<Record<string, unknown>>(name, rest, args, row.kwOnly ?? []);
      const self = this as unknown as Record<string, unknown>;
      const defaults = row.defaults as Record<string, unknown>;
      self.reduction = reductionOf(given as LegacyReduction & { reduction?: Reduction });
      for (const k of [...args, ...(row.kwOnly ?? [])]) {
        if (LEGACY.includes(k) || k === 'reduction') continue;
        const value = given[k] ?? defaults[k];
        const buffer = (row.buffers as Record<string, string> | undefined)?.[k];
        if (buffer) this.registerBuffer(buffer, (value as Tensor | null) ?? null);
        else self[k] = value;
      }
      row.check?.(this as unknown as LossModule<O, A, B>);
    }
    forward(...inputs: unknown[]): Tensor {
      return row.forward(this as unknown as LossModule<O, A, B>, ...(inputs as A));
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls as unknown as LossClass<O, N, A, B>;
}

type Legacy = LegacyReduction & { reduction?: Reduction };
type Weight = { weight?: Tensor | null };
type Pair = [input: Tensor, target: Tensor];
type Triple = [input1: Tensor, input2: Tensor, target: Tensor];
const LEGACY_DEFAULTS = { sizeAverage: null, reduce: null, reduction: 'mean' as Reduction };
const LEGACY_ARGS = ['sizeAverage', 'reduce', 'reduction'] as const;

export const L1Loss = define<Legacy, typeof LEGACY_ARGS, Pair>('L1Loss', LEGACY_ARGS, {
  defaults: LEGACY_DEFAULTS,
  forward: (m, input, target) => F.l1Loss(input, target, { reduction: m.reduction }),
});
export const MSELoss = define<Legacy, typeof LEGACY_ARGS, Pair>('MSELoss', LEGACY_ARGS, {
  defaults: LEGACY_DEFAULTS,
  forward: (m, input, target) => F.mseLoss(input, target, { reduction: m.reduction }),
});
export const NLLLoss = define<Legacy & Weight & { ignoreIndex?: number }, ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction'], Pair>(
  'NLLLoss', ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction'], {
    defaults: { ...LEGACY_DEFAULTS, weight: null, ignoreIndex: -100 },
    buffers: { weight: 'weight' },
    forward: (m, input, target) => F.nllLoss(input, target, { weight: m.weight, ignoreIndex: m.ignoreIndex, reduction: m.reduction }),
  });
export const CrossEntropyLoss = define<Legacy & Weight & { ignoreIndex?: number; labelSmoothing?: number }, ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction', 'labelSmoothing'], Pair>(
  'CrossEntropyLoss', ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction', 'labelSmoothing'], {
    defaults: { ...LEGACY_DEFAULTS, weight: null, ignoreIndex: -100, labelSmoothing: 0 },
    buffers: { weight: 'weight' },
    forward: (m, input, target) => F.crossEntropy(input, target, { weight: m.weight, ignoreIndex: m.ignoreIndex, reduction: m.reduction, labelSmoothing: m.labelSmoothing }),
  });
export const PoissonNLLLoss = define<Legacy & { logInput?: boolean; full?: boolean; eps?: number }, ['logInput', 'full', 'sizeAverage', 'eps', 'reduce', 'reduction'], Pair>(
  'PoissonNLLLoss', ['logInput', 'full', 'sizeAverage', 'eps', 'reduce', 'reduction'], {
    defaults: { ...LEGACY_DEFAULTS, logInput: true, full: false, eps: 1e-8 },
    forward: (m, logInput, target) => F.poissonNllLoss(logInput, target, { logInput: m.logInput, full: m.full, eps: m.eps, reduction: m.reduction }),
  });
export const GaussianNLLLoss = define<{ full?: boolean; eps?: number; reduction?: Reduction }, [], [input: Tensor, target: Tensor, variance: Tensor]>('GaussianNLLLoss', [], {
  defaults: { full: false, eps: 1e-6, reduction: 'mean' },
  kwOnly: ['full', 'eps', 'reduction'],
  forward: (m, input, target, variance) => F.gaussianNllLoss(input, target, variance, { full: m.full, eps: m.eps, reduction: m.reduction }),
});
export const KLDivLoss = define<LegacyReduction & { reduction?: Reduction | 'batchmean'; logTarget?: boolean }, ['sizeAverage', 'reduce', 'reduction', 'logTarget'], Pair>(
  'KLDivLoss', ['sizeAverage', 'reduce', 'reduction', 'logTarget'], {
    defaults: { ...LEGACY_DEFAULTS, logTarget: false },
    forward: (m, input, target) => F.klDiv(input, target, { reduction: m.reduction, logTarget: m.logTarget }),
  });
export const BCELoss = define<Legacy & Weight, ['weight', 'sizeAverage', 'reduce', 'reduction'], Pair>('BCELoss', ['weight', 'sizeAverage', 'reduce', 'reduction'], {
  defaults: { ...LEGACY_DEFAULTS, weight: null },
  buffers: { weight: 'weight' },
  forward: (m, input, target) => F.binaryCrossEntropy(input, target, { weight: m.weight, reduction: m.reduction }),
});
export const BCEWithLogitsLoss = define<Legacy & Weight & { posWeight?: Tensor | null }, ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight'], Pair, { pos_weight: Tensor | null }>(
  'BCEWithLogitsLoss', ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight'], {
    defaults: { ...LEGACY_DEFAULTS, weight: null, posWeight: null },
    buffers: { weight: 'weight', posWeight: 'pos_weight' },
    forward: (m, input, target) => F.binaryCrossEntropyWithLogits(input, target, { weight: m.weight, posWeight: m.pos_weight, reduction: m.reduction }),
  });
export const HingeEmbeddingLoss = define<Legacy & { margin?: number }, ['margin', 'sizeAverage', 'reduce', 'reduction'], Pair>('HingeEmbeddingLoss', ['margin', 'sizeAverage', 'reduce', 'reduction'], {
  defaults: { ...LEGACY_DEFAULTS, margin: 1.0 },
  forward: (m, input, target) => F.hingeEmbeddingLoss(input, target, { margin: m.margin, reduction: m.reduction }),
});
export const MultiLabelMarginLoss = define<Legacy, typeof LEGACY_ARGS, Pair>('MultiLabelMarginLoss', LEGACY_ARGS, {
  defaults: LEGACY_DEFAULTS,
  forward: (m, input, target) => F.multilabelMarginLoss(input, target, { reduction: m.reduction }),
});
export const SmoothL1Loss = define<Legacy & { beta?: number }, ['sizeAverage', 'reduce', 'reduction', 'beta'], Pair>('SmoothL1Loss', ['sizeAverage', 'reduce', 'reduction', 'beta'], {
  defaults: { ...LEGACY_DEFAULTS, beta: 1.0 },
  forward: (m, input, target) => F.smoothL1Loss(input, target, { reduction: m.reduction, beta: m.beta }),
});
export const HuberLoss = define<{ reduction?: Reduction; delta?: number }, ['reduction', 'delta'], Pair>('HuberLoss', ['reduction', 'delta'], {
  defaults: { reduction: 'mean', delta: 1.0 },
  forward: (m, input, target) => F.huberLoss(input, target, { reduction: m.reduction, delta: m.delta }),
});
export const SoftMarginLoss = define<Legacy, typeof LEGACY_ARGS, Pair>('SoftMarginLoss', LEGACY_ARGS, {
  defaults: LEGACY_DEFAULTS,
  forward: (m, input, target) => F.softMarginLoss(input, target, { reduction: m.reduction }),
});
export const MultiLabelSoftMarginLoss = define<Legacy & Weight, ['weight', 'sizeAverage', 'reduce', 'reduction'], Pair>('MultiLabelSoftMarginLoss', ['weight', 'sizeAverage', 'reduce', 'reduction'], {
  defaults: { ...LEGACY_DEFAULTS, weight: null },
  buffers: { weight: 'weight' },
  forward: (m, input, target) => F.multilabelSoftMarginLoss(input, target, { weight: m.weight, reduction: m.reduction }),
});
export const CosineEmbeddingLoss = define<Legacy & { margin?: number }, ['margin', 'sizeAverage', 'reduce', 'reduction'], Triple>('CosineEmbeddingLoss', ['margin', 'sizeAverage', 'reduce', 'reduction'], {
  defaults: { ...LEGACY_DEFAULTS, margin: 0 },
  forward: (m, input1, input2, target) => F.cosineEmbeddingLoss(input1, input2, target, { margin: m.margin, reduction: m.reduction }),
});
export const MarginRankingLoss = define<Legacy & { margin?: number }, ['margin', 'sizeAverage', 'reduce', 'reduction'], Triple>('MarginRankingLoss', ['margin', 'sizeAverage', 'reduce', 'reduction'], {
  defaults: { ...LEGACY_DEFAULTS, margin: 0 },
  forward: (m, input1, input2, target) => F.marginRankingLoss(input1, input2, target, { margin: m.margin, reduction: m.reduction }),
});
export const MultiMarginLoss = define<Legacy & Weight & { p?: number; margin?: number }, ['p', 'margin', 'weight', 'sizeAverage', 'reduce', 'reduction'], Pair>(
  'MultiMarginLoss', ['p', 'margin', 'weight', 'sizeAverage', 'reduce', 'reduction'], {
    defaults: { ...LEGACY_DEFAULTS, p: 1, margin: 1, weight: null },
    buffers: { weight: 'weight' },
    check: (m) => {
      if (m.p !== 1 && m.p !== 2) throw new TorchError('only p == 1 and p == 2 supported');
      if (m.weight !== null && m.weight.dim() !== 1) throw new TorchError('MultiMarginLoss: weight must be 1-dimensional');
    },
    forward: (m, input, target) => F.multiMarginLoss(input, target, { p: m.p, margin: m.margin, weight: m.weight, reduction: m.reduction }),
  });
export const TripletMarginLoss = define<Legacy & { margin?: number; p?: number; eps?: number; swap?: boolean }, ['margin', 'p', 'eps', 'swap', 'sizeAverage', 'reduce', 'reduction'], [anchor: Tensor, positive: Tensor, negative: Tensor]>(
  'TripletMarginLoss', ['margin', 'p', 'eps', 'swap', 'sizeAverage', 'reduce', 'reduction'], {
    defaults: { ...LEGACY_DEFAULTS, margin: 1.0, p: 2, eps: 1e-6, swap: false },
    forward: (m, anchor, positive, negative) => F.tripletMarginLoss(anchor, positive, negative, { margin: m.margin, p: m.p, eps: m.eps, swap: m.swap, reduction: m.reduction }),
  });
export const CTCLoss = define<{ blank?: number; reduction?: Reduction; zeroInfinity?: boolean }, ['blank', 'reduction', 'zeroInfinity'], [logProbs: Tensor, targets: Tensor, inputLengths: Tensor | number[], targetLengths: Tensor | number[]]>(
  'CTCLoss', ['blank', 'reduction', 'zeroInfinity'], {
    defaults: { blank: 0, reduction: 'mean', zeroInfinity: false },
    forward: (m, logProbs, targets, inputLengths, targetLengths) => F.ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank: m.blank, reduction: m.reduction, zeroInfinity: m.zeroInfinity }),
  });

// the classes above are values; these make `nn.MSELoss` usable as a type too
export type L1Loss = InstanceType<typeof L1Loss>;
export type MSELoss = InstanceType<typeof MSELoss>;
export type NLLLoss = InstanceType<typeof NLLLoss>;
export type CrossEntropyLoss = InstanceType<typeof CrossEntropyLoss>;
export type PoissonNLLLoss = InstanceType<typeof PoissonNLLLoss>;
export type GaussianNLLLoss = InstanceType<typeof GaussianNLLLoss>;
export type KLDivLoss = InstanceType<typeof KLDivLoss>;
export type BCELoss = InstanceType<typeof BCELoss>;
export type BCEWithLogitsLoss = InstanceType<typeof BCEWithLogitsLoss>;
export type HingeEmbeddingLoss = InstanceType<typeof HingeEmbeddingLoss>;
export type MultiLabelMarginLoss = InstanceType<typeof MultiLabelMarginLoss>;
export type SmoothL1Loss = InstanceType<typeof SmoothL1Loss>;
export type HuberLoss = InstanceType<typeof HuberLoss>;
export type SoftMarginLoss = InstanceType<typeof SoftMarginLoss>;
export type MultiLabelSoftMarginLoss = InstanceType<typeof MultiLabelSoftMarginLoss>;
export type CosineEmbeddingLoss = InstanceType<typeof CosineEmbeddingLoss>;
export type MarginRankingLoss = InstanceType<typeof MarginRankingLoss>;
export type MultiMarginLoss = InstanceType<typeof MultiMarginLoss>;
export type TripletMarginLoss = InstanceType<typeof TripletMarginLoss>;
export type CTCLoss = InstanceType<typeof CTCLoss>;

/** TripletMarginWithDistanceLoss' parameters, all keyword-only in Python. */
export type TripletMarginWithDistanceLossOptions = F.TripletWithDistanceOptions;
const TRIPLET_DISTANCE = ['distanceFunction', 'margin', 'swap', 'reduction'] as const;

/**
 * nn.TripletMarginWithDistanceLoss(*, distance_function=None, margin=1.0, swap=False, reduction='mean').
 * The default distance is a PairwiseDistance() submodule, so it prints (and is a child) as in PyTorch.
 */
export class TripletMarginWithDistanceLoss extends Module {
  readonly reduction: Reduction;
  distance_function: ((a: Tensor, b: Tensor) => Tensor) | Module;
  readonly margin: number;
  readonly swap: boolean;

  constructor(options: TripletMarginWithDistanceLossOptions = {}) {
    super();
    const o = parse<TripletMarginWithDistanceLossOptions>('TripletMarginWithDistanceLoss', [options], [], TRIPLET_DISTANCE);
    this.reduction = reductionOf({ reduction: o.reduction });
    this.distance_function = o.distanceFunction ?? new PairwiseDistance();
    this.margin = o.margin ?? 1.0;
    this.swap = o.swap ?? false;
  }

  /** Python's distance_function */
  get distanceFunction(): ((a: Tensor, b: Tensor) => Tensor) | Module {
    return this.distance_function;
  }

  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    const distanceFunction = this.distance_function as unknown as (a: Tensor, b: Tensor) => Tensor;
    return F.tripletMarginWithDistanceLoss(anchor, positive, negative, { distanceFunction, margin: this.margin, swap: this.swap, reduction: this.reduction });
  }
}
