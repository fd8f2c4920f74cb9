// torch.set_printoptions: the knobs PyTorch's printer reads (precision, threshold, edgeitems,
// linewidth, sci_mode), with the same defaults and profiles.
import { TorchError } from '../../errors';
import { checkKeywords, keysOf } from '../../keywords';

export interface PrintOptions {
  /** digits after the decimal point (default 4) */
  precision: number;
  /** element count above which tensors are summarised with `...` (default 1000) */
  threshold: number;
  /** items kept at each end of a summarised dimension (default 3) */
  edgeitems: number;
  /** characters per line before wrapping (default 80) */
  linewidth: number;
  /** force (true) or forbid (false) scientific notation; null lets the printer choose */
  sciMode: boolean | null;
}

export type PrintProfile = 'default' | 'short' | 'full';

export interface SetPrintOptions extends Partial<Omit<PrintOptions, 'sciMode'>> {
  profile?: PrintProfile;
  sciMode?: boolean | null;
}

const PROFILES: Record<PrintProfile, Omit<PrintOptions, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const SET_PRINT_KEYS = keysOf<SetPrintOptions>()('precision', 'threshold', 'edgeitems', 'linewidth', 'profile', 'sciMode');

const current: PrintOptions = { ...PROFILES.default, sciMode: null };

/** The options in force (a copy). */
export function getPrintoptions(): PrintOptions {
  return { ...current };
}

/**
 * torch.set_printoptions({ precision, threshold, edgeitems, linewidth, profile, sciMode }).
 * As in PyTorch, a profile is applied first, then the explicit options, and sciMode is reset to
 * automatic whenever it is not given.
 */
export function setPrintoptions(options: SetPrintOptions = {}): void {
  checkKeywords('setPrintoptions', options, SET_PRINT_KEYS);
  const { profile, sciMode, ...rest } = options;
  if (profile !== undefined) {
    if (!(profile in PROFILES)) throw new TorchError(`unknown print profile '${String(profile)}' (default, short or full)`);
    Object.assign(current, PROFILES[profile]);
  }
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value)) throw new TorchError(`setPrintoptions: ${key} must be a number`);
    current[key as keyof typeof rest] = value;
  }
  current.sciMode = sciMode ?? null;
}
