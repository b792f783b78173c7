// Verifies the gateway's webhooks as the notifier signs them:
//   X-Escrow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=…]
// one v1 per subscription secret valid at send time (two while a secret rotates). A partner passes
// the raw body bytes exactly as received and the secrets it holds (new and old during a rotation);
// a timestamp outside the tolerance is refused, so a captured delivery cannot be replayed later.
import * as crypto from 'node:crypto';
import { ClientError, type WebhookVerificationCode } from '../errors/clientError';

export const WEBHOOK_SIGNATURE_HEADER = 'X-Escrow-Signature';
export const WEBHOOK_EVENT_ID_HEADER = 'X-Escrow-Event-Id';
export const WEBHOOK_EVENT_TYPE_HEADER = 'X-Escrow-Event-Type';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export class WebhookVerificationError extends ClientError {
  constructor(
    readonly verificationCode: WebhookVerificationCode,
    message: string,
  ) {
    super(verificationCode, message);
    this.name = 'WebhookVerificationError';
  }
}

export interface SignatureHeader {
  readonly timestamp: number;
  readonly signatures: readonly string[];
}

/** Reads the header; schemes other than v1 are skipped, so a future scheme does not break it. */
export function parseSignatureHeader(header: string | null | undefined): SignatureHeader {
  if (header === undefined || header === null || header.trim() === '')
    throw new WebhookVerificationError('WEBHOOK_SIGNATURE_MISSING', `no ${WEBHOOK_SIGNATURE_HEADER} header`);
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (separator < 0) continue;
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0)
    throw new WebhookVerificationError(
      'WEBHOOK_SIGNATURE_MALFORMED',
      'the signature header needs t=<unix seconds> and at least one v1=<64 hex digits>',
    );
  return { timestamp, signatures };
}

function expectedSignature(secret: string, timestamp: number, body: string | Uint8Array): Buffer {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

export interface VerifySignatureOptions {
  /** The subscription's secret, or both secrets while it rotates. */
  readonly secrets: string | readonly string[];
  readonly toleranceSeconds?: number;
  readonly nowSeconds?: number;
}

/** Returns the signing time (unix seconds) when `header` signs `body`; throws a coded error otherwise. */
export function verifyWebhookSignature(
  header: string | null | undefined,
  body: string | Uint8Array,
  options: VerifySignatureOptions,
): number {
  const secrets = (typeof options.secrets === 'string' ? [options.secrets] : options.secrets).filter(
    (secret) => secret !== '',
  );
  if (secrets.length === 0)
    throw new WebhookVerificationError('WEBHOOK_NO_SECRET', 'no secret to verify with');
  const parsed = parseSignatureHeader(header);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > tolerance)
    throw new WebhookVerificationError(
      'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
      `signed at ${parsed.timestamp}, ${now - parsed.timestamp}s from now; tolerance ${tolerance}s`,
    );
  const given = parsed.signatures.map((signature) => Buffer.from(signature, 'hex'));
  const matches = secrets.some((secret) => {
    const expected = expectedSignature(secret, parsed.timestamp, body);
    return given.some((signature) => crypto.timingSafeEqual(expected, signature));
  });
  if (!matches)
    throw new WebhookVerificationError(
      'WEBHOOK_SIGNATURE_MISMATCH',
      'no v1 signature matches the body under any of the given secrets',
    );
  return parsed.timestamp;
}
