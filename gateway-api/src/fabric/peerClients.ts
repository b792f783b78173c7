// One gRPC client per peer endpoint, shared by every Gateway (every identity) that goes through it.
import * as grpc from '@grpc/grpc-js';
import * as fs from 'node:fs';
import type { OrgConfig } from '../config/gatewayConfig';

export class PeerClients {
  readonly #clients = new Map<string, grpc.Client>();

  constructor(private readonly orgs: readonly OrgConfig[]) {}

  org(name: string): OrgConfig {
    const org = this.orgs.find((candidate) => candidate.name === name);
    if (org === undefined) throw new Error(`no peer configured for organization ${name}`);
    return org;
  }

  orgNames(): string[] {
    return this.orgs.map((org) => org.name);
  }

  mspIdOf(name: string): string {
    return this.org(name).mspId;
  }

  clientFor(orgName: string): grpc.Client {
    let client = this.#clients.get(orgName);
    if (client === undefined) {
      const org = this.org(orgName);
      const tls = grpc.credentials.createSsl(fs.readFileSync(org.peerTlsRootCertPath));
      client = new grpc.Client(org.peerEndpoint, tls, {
        'grpc.ssl_target_name_override': org.peerHostAlias,
        'grpc.keepalive_time_ms': 60_000,
      });
      this.#clients.set(orgName, client);
    }
    return client;
  }

  /** Resolves when the peer's channel is connected, or rejects after `timeoutMs`. */
  waitForReady(orgName: string, timeoutMs: number): Promise<void> {
    const client = this.clientFor(orgName);
    return new Promise((resolve, reject) => {
      client.waitForReady(Date.now() + timeoutMs, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}
