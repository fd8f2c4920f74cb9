// Python's ValueError and NotImplementedError, which torch.distributions raises: TorchErrors named
// as Python names them, so a ported `except ValueError` maps to a check of `e.name`.
import { TorchError } from '../errors';

export class ValueError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

export class NotImplementedError extends TorchError {
  constructor(message = '') {
    super(message);
    this.name = 'NotImplementedError';
  }
}
