// Connects to an org's peer with fabric-gateway as one of the org's enrolled identities: one gRPC
// client per peer endpoint, one Gateway per identity, both closed together.
import * as grpc from '@grpc/grpc-js';
import {
  connect,
  type ConnectOptions,
  type Gateway,
  type Hash,
  type Identity,
  type Signer,
} from '@hyperledger/fabric-gateway';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mspPrivateKey } from '../network/certificateAuthority';
import { nativeSigning } from './nativeSigning';
import { caCertPath, identityDir, peerEndpoint, peerOrg } from '../network/topology';

export interface SigningIdentity {
  identity: Identity;
  /** `hash.none`: the signer takes whole messages and hashes them natively (see nativeSigning.ts). */
  hash: Hash;
  signer: Signer;
}

/** Loads the certificate and key the org's CA issued to an identity at start. */
export function enrolledIdentity(orgName: string, identityId: string): SigningIdentity {
  const org = peerOrg(orgName);
  const mspDir = path.join(identityDir(org.name, identityId), 'msp');
  const credentials = fs.readFileSync(path.join(mspDir, 'signcerts', 'cert.pem'));
  const privateKey = crypto.createPrivateKey(fs.readFileSync(mspPrivateKey(mspDir)));
  return { identity: { mspId: org.mspId, credentials }, ...nativeSigning(privateKey) };
}

export function newPeerClient(orgName: string): grpc.Client {
  const org = peerOrg(orgName);
  const tls = grpc.credentials.createSsl(fs.readFileSync(caCertPath(org.name)));
  // Node refuses an IP address as TLS server name; the peers' certificates also name localhost.
  return new grpc.Client(peerEndpoint(org.name), tls, { 'grpc.ssl_target_name_override': 'localhost' });
}

export interface GatewaySession {
  gateway: Gateway;
  close(): void;
}

const defaultDeadlines: Partial<ConnectOptions> = {
  evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
  endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
  submitOptions: () => ({ deadline: Date.now() + 10_000 }),
  commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
};

/** A Gateway to `viaOrg`'s peer, signing as `identityId` of `identityOrg` (defaults to the same org). */
export function openGateway(
  viaOrg: string,
  identityId: string,
  identityOrg = viaOrg,
  client = newPeerClient(viaOrg),
): GatewaySession {
  const gateway = connect({ client, ...enrolledIdentity(identityOrg, identityId), ...defaultDeadlines });
  return {
    gateway,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
