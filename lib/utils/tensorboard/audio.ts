// torch.utils.tensorboard.summary.audio: a mono clip in [-1, 1] (clipped, with PyTorch's warning,
// when louder) as 16-bit PCM WAV, the file Python's wave module writes.
import { AssertionError } from '../../errors';
import type { SummaryObject } from './summary';
import { ValuesLike, toValues } from './values';

/** A RIFF/WAVE file: the 44-byte header (PCM, mono, 16-bit), then the samples little-endian. */
function wav(samples: Int16Array, sampleRate: number): Buffer {
  const data = samples.length * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16); // the fmt chunk's size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // channels
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  out.writeUInt16LE(2, 32); // bytes per frame
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(data, 40);
  samples.forEach((s, i) => out.writeInt16LE(s, 44 + 2 * i));
  return out;
}

export function audio(tag: string, tensor: ValuesLike, sampleRate = 44100): SummaryObject {
  const v = toValues(tensor);
  if (v.shape.filter((d) => d !== 1).length > 1) throw new AssertionError('input tensor should be 1 dimensional.');
  let data = v.data;
  if (data.some((x) => Math.abs(x) > 1)) {
    console.log('warning: audio amplitude out of range, auto clipped.');
    data = data.map((x) => Math.min(Math.max(x, -1), 1));
  }
  // array * 32767 in the array's precision, then cast to int16 (toward zero)
  const scale = (x: number): number => (v.isFloat32 ? Math.fround(Math.fround(x) * 32767) : x * 32767);
  const samples = Int16Array.from(data, (x) => Math.trunc(scale(x)));
  const encoded = { sample_rate: sampleRate, num_channels: 1, length_frames: samples.length, encoded_audio_string: wav(samples, sampleRate), content_type: 'audio/wav' };
  return { value: [{ tag, audio: encoded }] };
}
