// The one change a certificate revocation makes to a channel's configuration: the org's MSP carries
// its CA's latest CRL in `revocation_list`. Pure JSON in, JSON out (configtxlator's decoded
// common.Config), so it is tested without a network.

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The org's MSP config (values.MSP.value.config) inside a decoded common.Config, or undefined. */
function applicationMspConfig(config: unknown, orgName: string): Json | undefined {
  let current: unknown = config;
  for (const key of ['channel_group', 'groups', 'Application', 'groups', orgName, 'values', 'MSP', 'value']) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return isObject(current) && isObject(current['config']) ? current['config'] : undefined;
}

export class UnknownChannelOrgError extends Error {
  readonly code = 'ORG_NOT_IN_CHANNEL';
  constructor(orgName: string) {
    super(`${orgName} is not an application org of the channel`);
    this.name = 'UnknownChannelOrgError';
  }
}

/** The PEM CRLs the channel holds for the org's MSP. */
export function revocationListOf(config: unknown, orgName: string): string[] {
  const msp = applicationMspConfig(config, orgName);
  if (msp === undefined) throw new UnknownChannelOrgError(orgName);
  const list = msp['revocation_list'];
  return Array.isArray(list)
    ? list.map((entry) => Buffer.from(String(entry), 'base64').toString('utf8'))
    : [];
}

/**
 * A copy of `config` whose org MSP holds `crlPem` as its only CRL. The org has one CA, and its CRL
 * lists every certificate it ever revoked, so the newest CRL replaces the older ones.
 */
export function withRevocationList(config: unknown, orgName: string, crlPem: string): unknown {
  if (!/-----BEGIN X509 CRL-----/.test(crlPem)) throw new Error('the CRL is not PEM (no X509 CRL block)');
  const copy = structuredClone(config);
  const msp = applicationMspConfig(copy, orgName);
  if (msp === undefined) throw new UnknownChannelOrgError(orgName);
  msp['revocation_list'] = [Buffer.from(crlPem, 'utf8').toString('base64')];
  return copy;
}
