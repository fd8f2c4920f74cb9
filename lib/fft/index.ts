// torch.fft: the generated fft_* operators plus the handwritten factories, in one namespace.
import { fft as generated } from '../ops/generated/namespaces';
import { fftfreq, rfftfreq } from './fftfreq';

export const fft = Object.assign(generated, { fftfreq, rfftfreq });
