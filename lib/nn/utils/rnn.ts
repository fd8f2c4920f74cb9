// torch.nn.utils.rnn (PyTorch 1.13): PackedSequence and the functions that pack and pad batches of
// variable-length sequences, over ATen's _pack_padded_sequence / _pad_packed_sequence /
// pad_sequence kernels, so gradients flow through packing and unpacking as in Python.
// nn.RNN, nn.LSTM and nn.GRU take a PackedSequence and return one (lib/nn/layers/rnn.ts).
import { Tensor, TorchError, aten, tensor, arange, emptyLike, int64 } from '../functional/torch';
import type { DTypeLike } from '../functional/torch';
import type { DeviceLike } from '../../tensor/device';
import type { ToOptions } from '../../tensor/tensor';
import { Rest, parse } from '../functional/args';
import { bind } from '../../keywords';

const op = {
  packPadded: aten('_pack_padded_sequence', ''),
  padPacked: aten('_pad_packed_sequence', ''),
  padSequence: aten('pad_sequence', ''),
};

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

/** PackedSequence's constructor arguments after data (Python's keyword names, camelCase). */
export interface PackedSequenceOptions {
  batchSizes?: Tensor | null;
  sortedIndices?: Tensor | null;
  unsortedIndices?: Tensor | null;
}
interface PackedSequenceArgs extends PackedSequenceOptions {
  data: Tensor | readonly [Tensor, Tensor];
}
const PACKED_POSITIONAL = ['batchSizes', 'sortedIndices', 'unsortedIndices'] as const;

/**
 * The data and batch sizes of a packed batch of sequences (Python's PackedSequence namedtuple):
 * `data` holds the time steps of all sequences interleaved, `batchSizes` (an int64 CPU tensor) how
 * many sequences are still running at each step, `sortedIndices`/`unsortedIndices` (or null) the
 * permutation packPaddedSequence applied to sort by length and its inverse. Built by
 * packPaddedSequence / packSequence and by the recurrent layers, not by hand; destructures as the
 * tuple does: `const [data, batchSizes, sortedIndices, unsortedIndices] = packed`.
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: Tensor;
  readonly sortedIndices: Tensor | null;
  readonly unsortedIndices: Tensor | null;

  /**
   * PackedSequence(data, batchSizes, sortedIndices = null, unsortedIndices = invert(sortedIndices)),
   * or PackedSequence([data, batchSizes], { sortedIndices }).
   */
  constructor(data: Tensor | readonly [Tensor, Tensor], ...rest: Rest<PackedSequenceOptions, typeof PACKED_POSITIONAL>) {
    const a = bind<PackedSequenceArgs>('PackedSequence', [data, ...rest], ['data'], PACKED_POSITIONAL);
    let d = a.data;
    let batchSizes = a.batchSizes ?? null;
    const sortedIndices = a.sortedIndices ?? null;
    const unsortedIndices = a.unsortedIndices ?? invertPermutation(sortedIndices);
    if (batchSizes !== null) {
      if (batchSizes.device.type !== 'cpu') {
        throw new TorchError(
          'batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. ' +
            'They should be instantiated by functions like pack_sequence and pack_padded_sequences in nn.utils.rnn. ' +
            'https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence',
        );
      }
    } else {
      if (!Array.isArray(d) || d.length !== 2) throw new TorchError('PackedSequence(data): data must be a [data, batchSizes] pair when batchSizes is not given');
      [d, batchSizes] = d as readonly [Tensor, Tensor];
    }
    if (!isTensor(d)) throw new TorchError(`PackedSequence: data must be a Tensor, got ${typeof d}`);
    this.data = d;
    this.batchSizes = batchSizes as Tensor;
    this.sortedIndices = sortedIndices;
    this.unsortedIndices = unsortedIndices;
  }

  /** [data, batchSizes, sortedIndices, unsortedIndices], as unpacking the namedtuple. */
  *[Symbol.iterator](): IterableIterator<Tensor | null> {
    yield this.data;
    yield this.batchSizes;
    yield this.sortedIndices;
    yield this.unsortedIndices;
  }

  /** Python's is_cuda: whether data is on a GPU. */
  get isCuda(): boolean {
    return this.data.isCuda;
  }

  isPinned(): boolean {
    return this.data.isPinned();
  }

  /** data and the index tensors in pinned memory (batchSizes stays as it is, as in PyTorch). */
  pinMemory(): PackedSequence {
    return new PackedSequence(this.data.pinMemory(), this.batchSizes, this.sortedIndices?.pinMemory() ?? null, this.unsortedIndices?.pinMemory() ?? null);
  }

  /**
   * Converts data as Tensor.to does (dtype, device, both, a tensor's, or options); the index
   * tensors follow data's device and batchSizes stays on the CPU. Returns this when data is unchanged.
   */
  to(target: DTypeLike | DeviceLike | Tensor | ToOptions, dtypeOrOptions?: DTypeLike | ToOptions): PackedSequence {
    const data = this.data.to(target, dtypeOrOptions);
    if (data.isSetTo(this.data) && data.dtype === this.data.dtype) {
      data.dispose(); // a second handle on this.data
      return this;
    }
    // the keyword arguments but device and dtype (nonBlocking, copy, memoryFormat) apply to the indices
    const kwargs: Record<string, unknown> = {};
    for (const o of [target, dtypeOrOptions]) {
      if (o !== null && typeof o === 'object' && !isTensor(o) && Object.getPrototypeOf(o) === Object.prototype) Object.assign(kwargs, o);
    }
    delete kwargs.device;
    delete kwargs.dtype;
    const move = (t: Tensor | null) => (t === null ? null : t.to(data.device, kwargs as ToOptions));
    return new PackedSequence(data, this.batchSizes, move(this.sortedIndices), move(this.unsortedIndices));
  }

  cuda(deviceIndex?: number): PackedSequence {
    return this.to(deviceIndex === undefined ? 'cuda' : `cuda:${deviceIndex}`);
  }
  cpu(): PackedSequence {
    return this.to('cpu');
  }
  double(): PackedSequence {
    return this.to('float64');
  }
  float(): PackedSequence {
    return this.to('float32');
  }
  half(): PackedSequence {
    return this.to('float16');
  }
  long(): PackedSequence {
    return this.to('int64');
  }
  int(): PackedSequence {
    return this.to('int32');
  }
  short(): PackedSequence {
    return this.to('int16');
  }
  char(): PackedSequence {
    return this.to('int8');
  }
  byte(): PackedSequence {
    return this.to('uint8');
  }

  /** Python's repr: PackedSequence(data=tensor(...), batch_sizes=tensor(...), sorted_indices=None, unsorted_indices=None) */
  toString(): string {
    const r = (t: Tensor | null) => (t === null ? 'None' : String(t));
    return `PackedSequence(data=${r(this.data)}, batch_sizes=${r(this.batchSizes)}, sorted_indices=${r(this.sortedIndices)}, unsorted_indices=${r(this.unsortedIndices)})`;
  }
  [inspectSymbol](): string {
    return this.toString();
  }
}

/** The inverse of a permutation (null stays null). */
export function invertPermutation(permutation: Tensor | null): Tensor | null {
  if (permutation === null || permutation === undefined) return null;
  const output = emptyLike(permutation);
  output.scatter_(0, permutation, arange(0, permutation.numel(), { device: permutation.device }));
  return output;
}

/** Python's torch.as_tensor(lengths, dtype=torch.int64) */
function lengthsTensor(lengths: Tensor | readonly number[]): Tensor {
  return isTensor(lengths) ? lengths.to(int64) : tensor([...lengths], { dtype: int64 });
}

export interface PackPaddedSequenceOptions {
  batchFirst?: boolean;
  enforceSorted?: boolean;
}
const PACK_PADDED = ['batchFirst', 'enforceSorted'] as const;

/**
 * pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True): packs a padded
 * T x B x * (B x T x * with batchFirst) batch of sequences of the given lengths. With
 * enforceSorted the lengths must be decreasing; otherwise the batch is sorted here and the
 * permutation kept in the result.
 */
export function packPaddedSequence(input: Tensor, lengths: Tensor | readonly number[], ...rest: Rest<PackPaddedSequenceOptions, typeof PACK_PADDED>): PackedSequence {
  const o = parse<PackPaddedSequenceOptions>('packPaddedSequence', rest, PACK_PADDED);
  const batchFirst = o.batchFirst ?? false;
  let lens = lengthsTensor(lengths);
  let sortedIndices: Tensor | null = null;
  if (!(o.enforceSorted ?? true)) {
    const sorted = lens.sort({ descending: true });
    lens = sorted.values;
    sortedIndices = sorted.indices.to(input.device);
    input = input.indexSelect(batchFirst ? 0 : 1, sortedIndices);
  }
  const [data, batchSizes] = op.packPadded([input, lens, batchFirst]) as [Tensor, Tensor];
  return new PackedSequence(data, batchSizes, sortedIndices, null);
}

export interface PadPackedSequenceOptions {
  batchFirst?: boolean;
  paddingValue?: number;
  totalLength?: number | null;
}
const PAD_PACKED = ['batchFirst', 'paddingValue', 'totalLength'] as const;

/**
 * pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None): the
 * inverse of packPaddedSequence. Returns [padded, lengths], the batch back in its original order;
 * totalLength pads the time dimension to that length.
 */
export function padPackedSequence(sequence: PackedSequence, ...rest: Rest<PadPackedSequenceOptions, typeof PAD_PACKED>): [Tensor, Tensor] {
  const o = parse<PadPackedSequenceOptions>('padPackedSequence', rest, PAD_PACKED);
  const batchFirst = o.batchFirst ?? false;
  let maxSeqLength = sequence.batchSizes.size(0);
  const totalLength = o.totalLength ?? null;
  if (totalLength !== null) {
    if (totalLength < maxSeqLength) {
      throw new TorchError(
        `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${totalLength} and max sequence length being ${maxSeqLength}`,
      );
    }
    maxSeqLength = totalLength;
  }
  const [padded, lengths] = op.padPacked([sequence.data, sequence.batchSizes, batchFirst, o.paddingValue ?? 0.0, maxSeqLength]) as [Tensor, Tensor];
  const unsorted = sequence.unsortedIndices;
  if (unsorted !== null) return [padded.indexSelect(batchFirst ? 0 : 1, unsorted), lengths.index(unsorted.cpu())];
  return [padded, lengths];
}

export interface PadSequenceOptions {
  batchFirst?: boolean;
  paddingValue?: number;
}
const PAD_SEQUENCE = ['batchFirst', 'paddingValue'] as const;

/**
 * pad_sequence(sequences, batch_first=False, padding_value=0.0): stacks L_i x * tensors into one
 * T x B x * (B x T x * with batchFirst) tensor padded with paddingValue. A tensor counts as the
 * list of its slices along dim 0, as in Python.
 */
export function padSequence(sequences: Iterable<Tensor> | Tensor, ...rest: Rest<PadSequenceOptions, typeof PAD_SEQUENCE>): Tensor {
  const o = parse<PadSequenceOptions>('padSequence', rest, PAD_SEQUENCE);
  let list: Tensor[];
  if (isTensor(sequences)) list = sequences.unbind(0);
  else if (sequences !== null && typeof sequences === 'object' && Symbol.iterator in sequences) list = [...sequences];
  else throw new TorchError(`pad_sequence: Expected iterable for input sequences, but got arg of type: ${sequences === null ? 'null' : typeof sequences}`);
  return op.padSequence([list, o.batchFirst ?? false, o.paddingValue ?? 0.0]) as Tensor;
}

export interface UnpadSequenceOptions {
  batchFirst?: boolean;
}
const UNPAD_SEQUENCE = ['batchFirst'] as const;

/**
 * unpad_sequence(padded_sequences, lengths, batch_first=False): the list of sequences a padded
 * batch holds. (Python's transposes its argument in place when batch_first is False; this does not.)
 */
export function unpadSequence(paddedSequences: Tensor, lengths: Tensor | readonly number[], ...rest: Rest<UnpadSequenceOptions, typeof UNPAD_SEQUENCE>): Tensor[] {
  const o = parse<UnpadSequenceOptions>('unpadSequence', rest, UNPAD_SEQUENCE);
  const padded = o.batchFirst ? paddedSequences : paddedSequences.transpose(0, 1);
  const maxLength = padded.size(1);
  const idx = arange(maxLength);
  const lens = isTensor(lengths) ? (lengths.dim() === 0 ? [lengths] : lengths.unbind(0)) : [...lengths];
  const out: Tensor[] = [];
  const n = Math.min(padded.size(0), lens.length);
  for (let i = 0; i < n; i++) {
    const length = lens[i];
    const mask = (isTensor(length) ? idx.lt(length.cpu()) : idx.lt(length)).to(padded.device);
    out.push(padded.select(0, i).index(mask));
  }
  return out;
}

export interface PackSequenceOptions {
  enforceSorted?: boolean;
}
const PACK_SEQUENCE = ['enforceSorted'] as const;

/** pack_sequence(sequences, enforce_sorted=True): padSequence then packPaddedSequence. */
export function packSequence(sequences: Iterable<Tensor>, ...rest: Rest<PackSequenceOptions, typeof PACK_SEQUENCE>): PackedSequence {
  const o = parse<PackSequenceOptions>('packSequence', rest, PACK_SEQUENCE);
  const list = [...sequences];
  const lengths = list.map((v) => v.size(0));
  return packPaddedSequence(padSequence(list), lengths, { enforceSorted: o.enforceSorted ?? true });
}

/** unpack_sequence(packed_sequences): the list of sequences a PackedSequence holds, in their original order. */
export function unpackSequence(packedSequences: PackedSequence): Tensor[] {
  const [padded, lengths] = padPackedSequence(packedSequences, { batchFirst: true });
  return unpadSequence(padded, lengths, { batchFirst: true });
}
