// torch.hub.download_url_to_file with Node's http/https: redirects followed, HTTP errors raised
// with urllib's text, the body streamed into a temp file beside dst that is renamed over dst only
// once complete (and hash-checked), so a broken download never leaves a half file behind.
import * as crypto from 'crypto';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import { TorchError } from '../errors';
import { ArgsOf, signature } from '../keywords';
import { withAtomicFile } from '../serialization/atomic-write';
import { expandUser } from './dir';
import { Progress } from './progress';

export interface DownloadUrlToFileArgs {
  url: string;
  /** the file to write ('~' expanded) */
  dst: string;
  /** when given, the file's SHA256 (hex) must start with it */
  hashPrefix?: string | null;
  /** a progress line on stderr (default true) */
  progress?: boolean;
}
const DOWNLOAD = signature<DownloadUrlToFileArgs>()(['url', 'dst'], ['hashPrefix', 'progress']);

const MAX_REDIRECTS = 10; // urllib's limit

/** The response to GET url, after redirects; an HTTP error status raises urllib's "HTTP Error 404: Not Found". */
function get(url: string, redirectsLeft = MAX_REDIRECTS): Promise<http.IncomingMessage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new TorchError(`unknown url type: '${url}'`));
  }
  const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : null;
  if (client === null) return Promise.reject(new TorchError(`<urlopen error unknown url type: ${parsed.protocol.slice(0, -1)}>`));
  return new Promise((resolve, reject) => {
    const request = client.get(parsed, { headers: { 'User-Agent': 'torch.hub' } }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location) {
        res.resume();
        if (redirectsLeft === 0) {
          reject(new TorchError(`HTTP Error ${status}: The HTTP server returned a redirect error that would lead to an infinite loop.`));
          return;
        }
        resolve(get(new URL(location, parsed).toString(), redirectsLeft - 1));
      } else if (status >= 400 || status < 200) {
        res.resume();
        reject(new TorchError(`HTTP Error ${status}: ${res.statusMessage ?? ''}`));
      } else {
        resolve(res);
      }
    });
    request.on('error', (e) => reject(new TorchError(`<urlopen error ${e.message}>`)));
  });
}

/**
 * torch.hub.download_url_to_file(url, dst, hashPrefix, progress): the object at url saved at dst.
 * With hashPrefix, a file whose SHA256 does not start with it is refused (and not kept).
 */
export async function downloadUrlToFile(...args: ArgsOf<typeof DOWNLOAD>): Promise<void> {
  const { url, dst, hashPrefix = null, progress = true } = DOWNLOAD.bind('hub.download_url_to_file', args);
  const res = await get(url);
  const length = res.headers['content-length'];
  const total = length !== undefined && Number.isFinite(Number(length)) ? Number(length) : null;
  const file = expandUser(dst);
  const sha256 = hashPrefix === null ? null : crypto.createHash('sha256');
  const bar = new Progress(total, progress);
  try {
    await withAtomicFile(path.resolve(file), async (handle) => {
      let received = 0;
      for await (const chunk of res as AsyncIterable<Buffer>) {
        await handle.write(chunk);
        sha256?.update(chunk);
        received += chunk.length;
        bar.update(chunk.length);
      }
      if (total !== null && received < total) throw new TorchError(`IncompleteRead(${received} bytes read, ${total - received} more expected)`);
      if (sha256 !== null && hashPrefix !== null) {
        const digest = sha256.digest('hex');
        if (digest.slice(0, hashPrefix.length) !== hashPrefix) throw new TorchError(`invalid hash value (expected "${hashPrefix}", got "${digest}")`);
      }
    });
  } catch (e) {
    res.destroy();
    if (e instanceof TorchError) throw e;
    throw new TorchError(e instanceof Error ? e.message : String(e));
  } finally {
    bar.close();
  }
}
