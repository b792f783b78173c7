// The one schema of a security event, for the security operations center: what happened (`type`), how
// bad (`severity`), who (`actor`), where (`source`), the request and Fabric transaction it belongs to,
// and a `detail` whose shape is fixed per type. Every emitter builds events with `securityEvent` and
// every consumer reads them with `readSecurityEvent`; SECURITY-EVENTS.md documents each type.
import * as crypto from 'node:crypto';
import { z } from 'zod';

export const SECURITY_EVENT_VERSION = 1;

export const securitySeverities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type SecuritySeverity = (typeof securitySeverities)[number];

/** Who acted, as far as the source knows: a verified principal, or only what the request claimed. */
const actorSchema = z
  .object({
    clientId: z.string().max(256).optional(),
    subject: z.string().max(256).optional(),
    mspId: z.string().max(256).optional(),
    org: z.string().max(64).optional(),
    /** True when the ids above were verified (a valid token, a Fabric identity); false for claims. */
    verified: z.boolean(),
  })
  .strict();
export type SecurityActor = z.infer<typeof actorSchema>;

const text = z.string().max(1024);
const code = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/);

/** The detail of each type: its own fields, nothing else. */
export const securityEventDetails = {
  /** A bearer token missing, malformed, badly signed, expired, for another audience or issuer. */
  'auth.failed': z.object({ code, method: text, path: text }).strict(),
  /** An authenticated caller refused (403), with the refusal's stable code. */
  'authz.refused': z.object({ code, method: text, path: text }).strict(),
  /** A budget ran out: whose (client, user, address) and when to come back. */
  'ratelimit.hit': z
    .object({
      scope: z.enum(['client', 'user', 'address']),
      retryAfterSeconds: z.number().int().nonnegative(),
      method: text,
      path: text,
    })
    .strict(),
  /** A signed inbound message (a payment provider's webhook, …) whose signature did not verify. */
  'webhook.signature_failed': z.object({ code, provider: text, endpoint: text }).strict(),
  /** A correctly signed provider event that contradicts the ledger (amount, currency, escrow, marketplace). */
  'provider.event_forged': z
    .object({
      code,
      provider: text,
      providerEventId: text.optional(),
      escrowId: text.optional(),
      reason: text,
    })
    .strict(),
  /** A privileged action: an operator command or an arbiter's / auditor's call on the gateway. */
  'admin.action': z
    .object({
      action: text,
      outcome: z.enum(['succeeded', 'failed']),
      status: z.number().int().optional(),
      escrowId: text.optional(),
    })
    .strict(),
  /** The risk service raised a flag on an escrow (a hold on the ledger, or a review), not a shadow rule's hit. */
  'risk.flag_raised': z
    .object({
      escrowId: text,
      rule: text,
      reasonCode: code,
      amount: z
        .string()
        .regex(/^\d{1,30}$/)
        .optional(),
    })
    .strict(),
  /** The risk service held an escrow's money: `amount` in minor units of `currency`. */
  'risk.hold': z
    .object({
      escrowId: text,
      rule: text,
      reasonCode: code,
      amount: z.string().regex(/^\d{1,30}$/),
      currency: z.string().regex(/^[A-Z]{3}$/),
    })
    .strict(),
} as const;

export type SecurityEventType = keyof typeof securityEventDetails;
export const securityEventTypes = Object.keys(securityEventDetails) as SecurityEventType[];
export type SecurityEventDetail<T extends SecurityEventType> = z.infer<(typeof securityEventDetails)[T]>;

const envelopeSchema = z
  .object({
    version: z.literal(SECURITY_EVENT_VERSION),
    id: z.uuid(),
    time: z.iso.datetime(),
    type: z.enum(securityEventTypes as [SecurityEventType, ...SecurityEventType[]]),
    severity: z.enum(securitySeverities),
    actor: actorSchema,
    /** The service that saw it: `gateway-marketa`, `payments-marketb`, `operator`, `risk`, … */
    source: z.string().min(1).max(128),
    requestId: z.string().max(256).optional(),
    txId: z.string().max(256).optional(),
    ip: z.string().max(64).optional(),
    detail: z.unknown(),
  })
  .strict();

interface SecurityEventOf<T extends SecurityEventType> {
  readonly version: typeof SECURITY_EVENT_VERSION;
  readonly id: string;
  readonly time: string;
  readonly type: T;
  readonly severity: SecuritySeverity;
  readonly actor: SecurityActor;
  readonly source: string;
  readonly requestId?: string;
  readonly txId?: string;
  readonly ip?: string;
  readonly detail: SecurityEventDetail<T>;
}

/** A security event of any type; narrow on `type` to read its `detail`. */
export type SecurityEvent = { [T in SecurityEventType]: SecurityEventOf<T> }[SecurityEventType];

/** The default severity of each type; an emitter may raise it. */
export const defaultSeverity: Readonly<Record<SecurityEventType, SecuritySeverity>> = {
  'auth.failed': 'low',
  'authz.refused': 'medium',
  'ratelimit.hit': 'low',
  'webhook.signature_failed': 'high',
  'provider.event_forged': 'critical',
  'admin.action': 'info',
  'risk.flag_raised': 'medium',
  'risk.hold': 'high',
};

export interface SecurityEventInput<T extends SecurityEventType> {
  readonly type: T;
  readonly source: string;
  readonly actor?: SecurityActor;
  readonly detail: SecurityEventDetail<T>;
  readonly severity?: SecuritySeverity;
  readonly requestId?: string;
  readonly txId?: string;
  readonly ip?: string;
  readonly time?: Date;
}

export class SecurityEventInvalidError extends Error {
  readonly code = 'SECURITY_EVENT_INVALID';
  constructor(readonly issues: readonly string[]) {
    super(`not a security event: ${issues.join('; ')}`);
    this.name = 'SecurityEventInvalidError';
  }
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`);
}

/** Reads any value as a security event, its detail checked against its type; throws SecurityEventInvalidError. */
export function readSecurityEvent(value: unknown): SecurityEvent {
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) throw new SecurityEventInvalidError(issuesOf(envelope.error));
  const detail = securityEventDetails[envelope.data.type].safeParse(envelope.data.detail);
  if (!detail.success)
    throw new SecurityEventInvalidError(issuesOf(detail.error).map((issue) => `detail.${issue}`));
  return { ...envelope.data, detail: detail.data } as SecurityEvent;
}

/** A new event (fresh id, now unless `time` is given), checked: a malformed one throws here, in tests. */
export function securityEvent<T extends SecurityEventType>(input: SecurityEventInput<T>): SecurityEvent {
  return readSecurityEvent({
    version: SECURITY_EVENT_VERSION,
    id: crypto.randomUUID(),
    time: (input.time ?? new Date()).toISOString(),
    type: input.type,
    severity: input.severity ?? defaultSeverity[input.type],
    actor: input.actor ?? { verified: false },
    source: input.source,
    ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
    ...(input.txId === undefined ? {} : { txId: input.txId }),
    ...(input.ip === undefined ? {} : { ip: input.ip }),
    detail: input.detail,
  });
}
