// What a proof verifier trusts on this machine's consortium: each org's public MSP folder under the
// state directory (another org's host: its `root`), the orderer org as the block signer, and the
// chaincode definition's policy over the peer orgs (definitionPolicy.ts).
import {
  anyTwoPeersOf,
  organizationMaterialFromMsp,
  type OrganizationMaterial,
  type ProofTrust,
} from '@p2p-escrow/fabric-client';
import * as fs from 'node:fs';
import { stateDir } from '../env/paths';
import { joiningOrgs, ordererOrg, orgMspDir, peerOrgs } from './topology';

/** The public MSP folder of every org of the consortium that has one under `root`. */
export function localMspFolders(root = stateDir): { mspId: string; dir: string }[] {
  return [ordererOrg, ...peerOrgs, ...joiningOrgs]
    .map((org) => ({ mspId: org.mspId, dir: orgMspDir(org.name, root) }))
    .filter(({ dir }) => fs.existsSync(dir));
}

export function localProofTrust(root = stateDir): ProofTrust {
  const organizations = new Map<string, OrganizationMaterial>();
  for (const { mspId, dir } of localMspFolders(root))
    organizations.set(mspId, organizationMaterialFromMsp(dir));
  return {
    organizations,
    ordererMspIds: [ordererOrg.mspId],
    chaincodePolicy: anyTwoPeersOf(peerOrgs.map((org) => org.mspId)),
  };
}

/** The MSP folders of `<MSP ID>=<folder>` options: another consortium's, or material sent by its orgs. */
export function proofTrustFromFolders(
  folders: readonly string[],
  ordererMspIds: readonly string[],
): ProofTrust {
  const organizations = new Map<string, OrganizationMaterial>();
  for (const entry of folders) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new Error(`--msp takes <MSP ID>=<folder>, not ${entry}`);
    organizations.set(entry.slice(0, at), organizationMaterialFromMsp(entry.slice(at + 1)));
  }
  const endorsing = [...organizations.keys()].filter((mspId) => !ordererMspIds.includes(mspId));
  return { organizations, ordererMspIds, chaincodePolicy: anyTwoPeersOf(endorsing) };
}
