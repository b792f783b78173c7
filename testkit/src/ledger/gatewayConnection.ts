// Connects to an org's peer of the local consortium as one of the identities its CA enrolled at
// start, through the one connection recipe of @p2p-escrow/fabric-client.
import type * as grpc from '@grpc/grpc-js';
import type { Gateway } from '@hyperledger/fabric-gateway';
import {
  connectGateway,
  newPeerClient,
  signingIdentityFromMsp,
  type PeerEndpoint,
  type SigningIdentity,
} from '@p2p-escrow/fabric-client';
import { caCertPath, identityDir, peerEndpoint, peerOrg } from '@p2p-escrow/scripts';
import * as path from 'node:path';

/** The certificate and key the org's CA issued to an identity at start. */
export function enrolledIdentity(orgName: string, identityId: string): SigningIdentity {
  const org = peerOrg(orgName);
  return signingIdentityFromMsp(org.mspId, path.join(identityDir(org.name, identityId), 'msp'));
}

/** Where an org's peer listens; its certificates also name localhost. */
export function peerOf(orgName: string): PeerEndpoint {
  const org = peerOrg(orgName);
  return { address: peerEndpoint(org.name), hostAlias: 'localhost', tlsRootCertPath: caCertPath(org.name) };
}

export function newOrgPeerClient(orgName: string): grpc.Client {
  return newPeerClient(peerOf(orgName));
}

/**
 * A Gateway to a peer on another host (`peer`), signing as the identity whose MSP folder is `mspDir`:
 * an org's own application, reading its user's key from the org's own state directory.
 */
export function openGatewayAt(peer: PeerEndpoint, mspId: string, mspDir: string): GatewaySession {
  return sessionOf(newPeerClient(peer), signingIdentityFromMsp(mspId, mspDir));
}

function sessionOf(client: grpc.Client, identity: SigningIdentity): GatewaySession {
  const gateway = connectGateway(client, identity);
  return {
    gateway,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

export interface GatewaySession {
  gateway: Gateway;
  close(): void;
}

/** A Gateway to `viaOrg`'s peer, signing as `identityId` of `identityOrg` (defaults to the same org). */
export function openGateway(
  viaOrg: string,
  identityId: string,
  identityOrg = viaOrg,
  client = newOrgPeerClient(viaOrg),
): GatewaySession {
  return sessionOf(client, enrolledIdentity(identityOrg, identityId));
}
