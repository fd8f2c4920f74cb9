// torch.hub's cache directory, by Python's rules: set_dir() wins; else $TORCH_HOME/hub, where
// TORCH_HOME defaults to $XDG_CACHE_HOME/torch and XDG_CACHE_HOME to ~/.cache. Downloaded weights
// live in <hub dir>/checkpoints, the folder torchvision's weights read too (one function for both).
import * as os from 'os';
import { warn } from '../errors';

let hubDir: string | null = null;

/** Python's os.path.join(a, b): no normalisation ('/a//b' stays), so paths print as Python prints them. */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/') || a === '') return b;
  return a.endsWith('/') ? a + b : `${a}/${b}`;
}

/** Python's os.path.expanduser for '~' and '~/...' (the current user's home, $HOME first). */
export function expandUser(p: string): string {
  if (p !== '~' && !p.startsWith('~/')) return p;
  const home = (process.env.HOME ?? os.homedir()).replace(/\/+$/, '');
  return p === '~' ? home || '/' : `${home}/${p.slice(2)}`;
}

/** $TORCH_HOME, else $XDG_CACHE_HOME/torch, else ~/.cache/torch (an empty variable counts as set, as in Python). */
function torchHome(): string {
  return expandUser(process.env.TORCH_HOME ?? pyJoin(process.env.XDG_CACHE_HOME ?? '~/.cache', 'torch'));
}

/** torch.hub.get_dir(): where hub keeps downloads (setDir's folder, else $TORCH_HOME/hub). */
export function getDir(): string {
  if (process.env.TORCH_HUB) warn('TORCH_HUB is deprecated, please use env TORCH_HOME instead');
  return hubDir ?? pyJoin(torchHome(), 'hub');
}

/** torch.hub.set_dir(d): the hub folder from now on ('~' expanded). */
export function setDir(d: string): void {
  hubDir = expandUser(d);
}

/** <hub dir>/checkpoints: where loadStateDictFromUrl (and torchvision's weights) keep weights files. */
export function checkpointsDir(): string {
  return pyJoin(getDir(), 'checkpoints');
}
