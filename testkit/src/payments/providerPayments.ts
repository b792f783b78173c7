// Paying for an escrow as the live tiers do it: the buyer's marketplace asks its gateway for the
// payment, then the provider's `payment_intent.succeeded` for it is delivered to that marketplace's
// payments service, signed with the real endpoint secret (stripe-mock sends no webhooks). The signer
// comes from the caller (the payments package's face: the SDK's own test signer), since the kit
// cannot depend on the payments package, whose tests depend on the kit.
import {
  identityWebhookPath,
  localFetch,
  paymentsServiceUrl,
  providerWebhookPath,
  stripeWebhookSecret,
} from '@p2p-escrow/scripts';
export { paymentsServiceUrl } from '@p2p-escrow/scripts';
import { as, orgOfCaller, type ApiResponse, type Backend, type Caller } from '../gateway/gatewayStack';
import { eventually } from '../stack/eventually';

export interface PaymentEventSpec {
  readonly paymentId: string;
  readonly escrowId?: string;
  readonly marketplace?: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly eventId?: string;
  readonly createdSeconds?: number;
}

export interface SignedProviderEvent {
  readonly eventId: string;
  readonly body: string;
  readonly signature: string;
}

/** Builds a signed provider event with an endpoint secret (payments' `paymentSucceededDelivery`). */
export type ProviderEventSigner = (spec: PaymentEventSpec, secret: string) => SignedProviderEvent;

/** The endpoint secret the payments services verify with (generated under the state directory). */
export function providerWebhookSecret(): string {
  return stripeWebhookSecret();
}

/** Delivers a provider event to `marketplace`'s payments service, as the provider would. */
export async function deliverProviderEvent(
  marketplace: string,
  event: Pick<SignedProviderEvent, 'body' | 'signature'>,
  route: string = providerWebhookPath,
): Promise<ApiResponse> {
  const response = await localFetch(`${paymentsServiceUrl(marketplace)}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
    body: event.body,
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Checked through `text`.
  }
  return { status: response.status, headers: response.headers, body, text };
}

export interface ProviderPayment {
  /** The gateway's answer to POST …/payment. */
  readonly payment: ApiResponse;
  readonly paymentId: string;
  /** The payments service's answer to the signed `payment_intent.succeeded`. */
  readonly delivery: ApiResponse;
  readonly event: SignedProviderEvent;
}

/**
 * `payer` (the buyer's marketplace backend) opens the payment at its gateway, and the provider's
 * event for exactly that payment reaches its payments service, which funds the escrow before answering
 * (committed on its own org's peer). `witnesses` (e.g. the seller, on another marketplace) are waited
 * for until their own gateway reads the escrow FUNDED, since their next step endorses on their peer.
 */
export async function payThroughProvider(
  escrowId: string,
  payer: Backend,
  sign: ProviderEventSigner,
  witnesses: readonly Caller[] = [],
): Promise<ProviderPayment> {
  const payment = await as(payer, 'POST', `/v1/escrows/${escrowId}/payment`, {});
  if (payment.status !== 201)
    throw new Error(`payment of ${escrowId}: ${String(payment.status)} ${payment.text}`);
  const paymentId = String(payment.body['paymentId']);
  const marketplace = orgOfCaller(payer);
  const event = sign(
    {
      paymentId,
      escrowId,
      marketplace,
      amountMinor: BigInt(String(payment.body['amount'])),
      currency: String(payment.body['currency']),
    },
    providerWebhookSecret(),
  );
  const delivery = await deliverProviderEvent(marketplace, event);
  if (delivery.status === 200)
    for (const witness of witnesses)
      await eventually(`${witness} to read ${escrowId} funded`, async () => {
        const read = await as(witness, 'GET', `/v1/escrows/${escrowId}`);
        return read.body['state'] === 'FUNDED' ? true : undefined;
      });
  return { payment, paymentId, delivery, event };
}

export interface VerificationEventSpec {
  readonly verificationId: string;
  readonly marketplace: string;
  readonly userId: string;
  readonly status: 'verified' | 'rejected' | 'requires_input';
  readonly eventId?: string;
  readonly createdSeconds?: number;
}

/** Builds a signed identity-verification event (payments' `verificationDelivery`). */
export type VerificationEventSigner = (spec: VerificationEventSpec, secret: string) => SignedProviderEvent;

/** Delivers an identity-verification event to `marketplace`'s payments service, as the provider would. */
export function deliverVerificationEvent(
  marketplace: string,
  event: Pick<SignedProviderEvent, 'body' | 'signature'>,
): Promise<ApiResponse> {
  return deliverProviderEvent(marketplace, event, identityWebhookPath);
}

export interface ProviderVerification {
  /** The gateway's answer to POST /v1/parties/{partyId}/verification (undefined: verified before). */
  readonly started: ApiResponse | undefined;
  /** The payments service's answer to the signed event (undefined: verified before). */
  readonly delivery: ApiResponse | undefined;
}

/**
 * The real flow a seller is verified by: `backend` (the party's own marketplace) opens the
 * verification at its gateway, and the provider's signed event with `status` for that session reaches
 * its payments service, which attests it on the ledger before answering. A party verified already is
 * left as it is, so suites may call this in their setup on every run.
 */
export async function verifyThroughProvider(
  backend: Backend,
  userId: string,
  sign: VerificationEventSigner,
  status: VerificationEventSpec['status'] = 'verified',
): Promise<ProviderVerification> {
  const marketplace = orgOfCaller(backend);
  const path = `/v1/parties/${marketplace}:${userId}/verification`;
  const held = await as(backend, 'GET', path);
  if (status === 'verified' && held.body['status'] === 'verified')
    return { started: undefined, delivery: undefined };
  const started = await as(backend, 'POST', path, {});
  if (started.status !== 201)
    throw new Error(`verification of ${marketplace}:${userId}: ${String(started.status)} ${started.text}`);
  const event = sign(
    { verificationId: String(started.body['verificationId']), marketplace, userId, status },
    providerWebhookSecret(),
  );
  const delivery = await deliverVerificationEvent(marketplace, event);
  if (delivery.status !== 200 || delivery.body['status'] !== 'recorded')
    throw new Error(
      `the ${status} event of ${marketplace}:${userId}: ${String(delivery.status)} ${delivery.text}`,
    );
  return { started, delivery };
}
