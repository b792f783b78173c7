// RFC 6238 time-based one-time passwords (HMAC-SHA1, 6 digits, 30 s steps), as Keycloak's default OTP
// policy and authenticator apps compute them.
import * as crypto from 'node:crypto';

export interface TotpOptions {
  digits?: number;
  periodSeconds?: number;
}

export function totp(key: Buffer, atMs: number = Date.now(), options: TotpOptions = {}): string {
  const digits = options.digits ?? 6;
  const counter = Math.floor(atMs / 1000 / (options.periodSeconds ?? 30));
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(message).digest();
  // RFC 4226 dynamic truncation: 31 bits from the offset named by the last nibble.
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const code = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(code % 10 ** digits).padStart(digits, '0');
}

/** The 30 s step `atMs` falls in: two codes of one step are the same code. */
export function totpStep(atMs: number = Date.now(), periodSeconds = 30): number {
  return Math.floor(atMs / 1000 / periodSeconds);
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * One-time codes the realm has not seen from this process: Keycloak accepts a code once, so a second
 * login of the same account within a step waits for the next step's code (at most one step).
 */
export class OneTimeCodes {
  readonly #lastStep = new Map<string, number>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly periodSeconds = 30,
  ) {}

  async next(account: string, key: Buffer): Promise<string> {
    const deadline = this.clock.now() + (this.periodSeconds + 2) * 1000;
    while (this.#lastStep.get(account) === totpStep(this.clock.now(), this.periodSeconds)) {
      if (this.clock.now() > deadline) throw new Error(`no new one-time code for ${account} in time`);
      const nextStepAt = (totpStep(this.clock.now(), this.periodSeconds) + 1) * this.periodSeconds * 1000;
      await this.clock.sleep(Math.min(Math.max(nextStepAt - this.clock.now(), 1), 1_000));
    }
    const now = this.clock.now();
    this.#lastStep.set(account, totpStep(now, this.periodSeconds));
    return totp(key, now, { periodSeconds: this.periodSeconds });
  }
}

/** The process's one-time codes: every login of the test kit and the tests draws from it. */
export const oneTimeCodes = new OneTimeCodes();
