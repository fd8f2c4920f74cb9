// torch.hub: the cache directory and downloading weights into it (load_state_dict_from_url).
// hub.load / list / help run a repository's hubconf.py, Python code: they are not offered here.
export { getDir, setDir } from './dir';
export { downloadUrlToFile } from './download';
export type { DownloadUrlToFileArgs } from './download';
export { loadStateDictFromUrl } from './load-state-dict';
export type { LoadStateDictFromUrlArgs } from './load-state-dict';
