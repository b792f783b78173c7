// Every error the SDK throws carries a stable `code`, so a partner branches on codes, never on
// message text.

export type ClientErrorCode =
  | 'TOKEN_REQUEST_FAILED'
  | 'API_PROBLEM'
  | 'CURSOR_REPEATED'
  | 'PAGE_LIMIT_REACHED'
  | 'TRANSACTION_PENDING'
  | WebhookVerificationCode;

export type WebhookVerificationCode =
  | 'WEBHOOK_SIGNATURE_MISSING'
  | 'WEBHOOK_SIGNATURE_MALFORMED'
  | 'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE'
  | 'WEBHOOK_SIGNATURE_MISMATCH'
  | 'WEBHOOK_BODY_INVALID'
  | 'WEBHOOK_NO_SECRET';

export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ClientError';
  }
}
