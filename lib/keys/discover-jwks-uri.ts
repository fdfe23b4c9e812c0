import { KeyDownloadError } from '../errors/key-download-error.js';
import { download, type DownloadOptions } from './download.js';

/** OpenID discovery: the document must be JSON with a string `jwks_uri`. */
export async function discoverJwksUri(discoveryUrl: string, options: DownloadOptions): Promise<string> {
  const { text } = await download(discoveryUrl, options);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new KeyDownloadError(`OpenID discovery document at ${discoveryUrl} is not JSON`, { url: discoveryUrl });
  }
  const uri = (doc as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof uri !== 'string' || uri === '') {
    throw new KeyDownloadError(`OpenID discovery document at ${discoveryUrl} has no string "jwks_uri"`, { url: discoveryUrl });
  }
  return uri;
}
