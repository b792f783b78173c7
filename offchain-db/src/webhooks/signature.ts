// The webhook signature: `X-Escrow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, one
// v1 per secret valid at send time (two during a rotation). Partners verify with verifyWebhookSignature.
import * as crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Escrow-Signature';
export const EVENT_ID_HEADER = 'X-Escrow-Event-Id';
export const EVENT_TYPE_HEADER = 'X-Escrow-Event-Type';

function hmacHex(secret: string, timestamp: number, body: string | Buffer): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for `body`, signed with every secret in `secrets` at `timestamp` (unix seconds). */
export function signWebhook(secrets: readonly string[], body: string | Buffer, timestamp: number): string {
  if (secrets.length === 0) throw new Error('a webhook needs at least one secret to be signed');
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${hmacHex(secret, timestamp, body)}`)].join(',');
}

interface ParsedHeader {
  readonly timestamp: number;
  readonly signatures: readonly string[];
}

function parseHeader(header: string): ParsedHeader | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/**
 * True when `header` carries a v1 signature of `body` by one of `secrets` (pass both during a
 * rotation) and its timestamp is within `toleranceSeconds` of `nowSeconds`. Pass the raw body bytes
 * exactly as received: re-serialized JSON does not verify.
 */
export function verifyWebhookSignature(
  secrets: string | readonly string[],
  header: string | undefined,
  body: string | Buffer,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (header === undefined) return false;
  const parsed = parseHeader(header);
  if (parsed === undefined) return false;
  if (Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return false;
  const candidates = typeof secrets === 'string' ? [secrets] : secrets;
  return candidates.some((secret) => {
    const expected = Buffer.from(hmacHex(secret, parsed.timestamp, body), 'hex');
    return parsed.signatures.some((signature) =>
      crypto.timingSafeEqual(expected, Buffer.from(signature, 'hex')),
    );
  });
}
