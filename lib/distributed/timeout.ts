// Python's datetime.timedelta for torch.distributed's timeouts: a number of seconds, or the
// timedelta's own keywords ({ minutes: 30 } for timedelta(minutes=30)).
import { TorchError } from '../errors';

export type Timedelta = number | { days?: number; hours?: number; minutes?: number; seconds?: number; milliseconds?: number };

/** torch.distributed.constants.default_pg_timeout: timedelta(minutes=30). */
export const DEFAULT_PG_TIMEOUT: Timedelta = { minutes: 30 };
/** c10d::Store::kDefaultTimeout, the TCPStore's default: 300 seconds. */
export const DEFAULT_STORE_TIMEOUT: Timedelta = { seconds: 300 };

/** The timeout in whole milliseconds, as c10d takes it. */
export function toMillis(timeout: Timedelta): number {
  const ms =
    typeof timeout === 'number'
      ? timeout * 1000
      : typeof timeout === 'object' && timeout !== null
        ? ((((timeout.days ?? 0) * 24 + (timeout.hours ?? 0)) * 60 + (timeout.minutes ?? 0)) * 60 + (timeout.seconds ?? 0)) * 1000 + (timeout.milliseconds ?? 0)
        : NaN;
  if (!Number.isFinite(ms) || ms < 0) throw new TorchError('Expected timeout argument to be of type datetime.timedelta (seconds, or { minutes, seconds, ... })');
  return Math.round(ms);
}
