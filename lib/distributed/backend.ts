// torch.distributed.Backend: a backend's name, checked and lowercased as Python's Backend(name) does.
import { ValueError } from '../errors';

const KNOWN = { UNDEFINED: 'undefined', GLOO: 'gloo', NCCL: 'nccl', UCC: 'ucc', MPI: 'mpi', TCP: 'tcp' } as const;

function backendName(name: string): string {
  if (typeof name !== 'string') throw new ValueError(`Backend name must be a string, but got: ${String(name)}`);
  const value = (KNOWN as Record<string, string>)[name.toUpperCase()] ?? KNOWN.UNDEFINED;
  if (value === KNOWN.TCP) {
    throw new ValueError('TCP backend has been deprecated. Please use Gloo or MPI backend for collective operations on CPU tensors.');
  }
  if (value === KNOWN.UNDEFINED) throw new ValueError(`Invalid backend: '${name}'`);
  return value;
}

/** `Backend('GLOO')` is 'gloo'; `Backend.GLOO` the constant. */
export const Backend = Object.assign(backendName, KNOWN);
