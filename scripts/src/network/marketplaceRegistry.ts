// The escrow chaincode learns which marketplaces trade on the channel from its marketplace registry
// (ledger state). Once the chaincode answers, this registers the topology's founding marketplaces
// (every peer org but Oversight) as Oversight's admin, once: a registry that exists is left alone,
// since later changes (a new marketplace, a suspension) are governance decisions, not setup.
import { invokeAndWait, queryJson } from './chaincodeInvoke';
import { foundingMarketplaces, GOVERNING_ORG, peerOrgs, peerOrg } from './topology';

interface RegistryAnswer {
  readonly marketplaces: readonly unknown[];
}

export async function registerFoundingMarketplaces(): Promise<void> {
  const governing = peerOrg(GOVERNING_ORG);
  const current = (await queryJson(governing, ['readMarketplaces'])) as RegistryAnswer;
  if (current.marketplaces.length > 0) return;
  // A registry write needs the channel's MAJORITY: every peer org endorses (a majority of any size).
  await invokeAndWait(governing, peerOrgs, [
    'registerFoundingMarketplaces',
    JSON.stringify(foundingMarketplaces()),
  ]);
}
