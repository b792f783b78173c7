// Where a webhook may be delivered: public unicast addresses only. Loopback, private, link-local (the
// cloud metadata address 169.254.169.254), carrier-grade NAT, multicast, reserved, unique-local and
// the IPv6 forms that embed an IPv4 address are refused, unless an allow-list names them (local
// development and tests deliver to 127.0.0.1). Range checks are ipaddr.js's, never our own maths.
import ipaddr from 'ipaddr.js';
import * as dns from 'node:dns';

export const WEBHOOK_ENDPOINT_FORBIDDEN = 'WEBHOOK_ENDPOINT_FORBIDDEN';

/** A webhook URL whose host is, or resolves to, an address partners may not make us call. */
export class WebhookEndpointForbiddenError extends Error {
  readonly code = WEBHOOK_ENDPOINT_FORBIDDEN;
  constructor(detail: string) {
    super(detail);
    this.name = 'WebhookEndpointForbiddenError';
  }
}

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface EndpointPolicy {
  /** Ranges allowed even though they are not public (P2P_WEBHOOK_ALLOWED_CIDRS). */
  readonly allowed: readonly Cidr[];
}

export const PUBLIC_ONLY: EndpointPolicy = { allowed: [] };

/** `10.0.0.0/8`, `::1/128`, or a bare address (a range of one). Throws on anything else. */
export function parseCidr(text: string): Cidr {
  if (text.includes('/')) return ipaddr.parseCIDR(text);
  const address = ipaddr.parse(text);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

export function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

/** IPv6 global unicast (2000::/3): anything outside it that ipaddr.js calls unicast is no place to call. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** Why `address` may not be called, or undefined when it may. */
export function forbiddenReason(address: string, policy: EndpointPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it reaches.
  const parsed = ipaddr.process(address);
  for (const [range, bits] of policy.allowed)
    if (range.kind() === parsed.kind() && parsed.match(range, bits)) return undefined;
  const kind = parsed.range();
  if (kind !== 'unicast') return `${address} is a ${kind} address`;
  if (parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6))
    return `${address} is not a global unicast address`;
  return undefined;
}

export type LookupAll = (hostname: string) => Promise<readonly dns.LookupAddress[]>;

export const systemLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true });

/** The host's addresses, every one checked; throws WebhookEndpointForbiddenError naming the first refused. */
export async function checkedAddresses(
  hostname: string,
  policy: EndpointPolicy,
  lookup: LookupAll = systemLookup,
): Promise<readonly dns.LookupAddress[]> {
  const literal = hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = ipaddr.isValid(literal)
    ? [{ address: literal, family: ipaddr.parse(literal).kind() === 'ipv4' ? 4 : 6 }]
    : await lookup(literal).catch((error: unknown) => {
        throw new WebhookEndpointForbiddenError(`${literal} does not resolve: ${String(error)}`);
      });
  if (addresses.length === 0) throw new WebhookEndpointForbiddenError(`${literal} has no address`);
  for (const { address } of addresses) {
    const reason = forbiddenReason(address, policy);
    if (reason !== undefined)
      throw new WebhookEndpointForbiddenError(`${literal} is refused as a webhook endpoint: ${reason}`);
  }
  return addresses;
}

/** Checks a webhook URL at registration: http(s), and a host whose every address may be called. */
export async function checkEndpointUrl(
  url: string,
  policy: EndpointPolicy,
  lookup: LookupAll = systemLookup,
): Promise<void> {
  const parsed = new URL(url);
  await checkedAddresses(parsed.hostname, policy, lookup);
}
