// Where alerts are posted: a URL fixed by P2P_ALERT_WEBHOOK_URL, or, when P2P_ALERT_WEBHOOK_URL_FILE is
// set, the URL in that settings file under the state directory, read again at each delivery, so the
// operator (or a test) repoints alerts without restarting the service. No URL: alerts are counted
// as `no_target` and not sent.
import * as fs from 'node:fs';
import type { AlertTarget } from './alertDelivery';

export function isAlertUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function alertTargetOf(fixedUrl: string | undefined, urlFile: string | undefined): AlertTarget {
  if (urlFile === undefined) return () => Promise.resolve(fixedUrl);
  return async () => {
    const text = await fs.promises.readFile(urlFile, 'utf8').catch(() => undefined);
    const url = text?.trim();
    return url !== undefined && isAlertUrl(url) ? url : fixedUrl;
  };
}

/** Points alerts at `url` (the operator's and the tests' way to set the target). */
export function writeAlertTarget(urlFile: string, url: string): void {
  if (!isAlertUrl(url)) throw new Error(`not an http(s) URL: ${url}`);
  fs.writeFileSync(`${urlFile}.tmp`, `${url}\n`, { mode: 0o600 });
  fs.renameSync(`${urlFile}.tmp`, urlFile);
}
