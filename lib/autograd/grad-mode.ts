// torch.noGrad / enableGrad / isGradEnabled / setGradEnabled (sync forms; the async forms that
// survive await come with the autograd issue).
import { native } from '../native';

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = native.isGradEnabled();
  native.setGradEnabled(enabled);
  try {
    return fn();
  } finally {
    native.setGradEnabled(previous);
  }
}

/** torch.no_grad(): runs fn with gradient recording off. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** torch.enable_grad(): runs fn with gradient recording on. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

export function setGradEnabled(on: boolean): void {
  native.setGradEnabled(on);
}
