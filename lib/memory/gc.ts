// V8's gc() without the --expose-gc command-line flag: a full collection, or a minor one
// ({ type: 'minor' }). The native side calls both (lib/errors.ts hands them over); benchmarks use
// the full one to start a case from a clean heap.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('v8').setFlagsFromString('--expose-gc');
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const gc: (options?: { type: 'minor' | 'major' }) => void = require('vm').runInNewContext('gc');
