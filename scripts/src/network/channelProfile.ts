// The application channel's profile for configtxgen: orgs, policies, capabilities and Raft consenters.
// One builder for both ways a channel is founded: the runner's, from the local state directory, and
// the operators', from the founding orgs' public bundles; only where the MSPs and certificates are
// read from differs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { fabricBin } from '../env/paths';
import { runCommand } from '../env/command';
import { topology } from './topology';

export interface FoundingOrdererOrg {
  name: string;
  mspId: string;
  mspDir: string;
  /** The orderer endpoints clients are told about, host:port. */
  endpoints: string[];
}

export interface FoundingPeerOrg {
  name: string;
  mspId: string;
  mspDir: string;
  anchorPeers: { Host: string; Port: number }[];
}

export interface Consenter {
  host: string;
  port: number;
  /** The orderer's TLS certificate file (client and server). */
  tlsCert: string;
}

export interface ChannelFounders {
  ordererOrg: FoundingOrdererOrg;
  peerOrgs: FoundingPeerOrg[];
  consenters: Consenter[];
}

export const channelProfileName = 'MarketplaceChannel';

function signature(rule: string) {
  return { Type: 'Signature', Rule: rule };
}

function implicitMeta(rule: string) {
  return { Type: 'ImplicitMeta', Rule: rule };
}

/** configtx.yaml's section for one application org: its MSP, anchor peers and policies. */
export function peerOrgSection(org: FoundingPeerOrg): object {
  return {
    Name: org.name,
    ID: org.mspId,
    MSPDir: org.mspDir,
    AnchorPeers: org.anchorPeers,
    Policies: {
      Readers: signature(`OR('${org.mspId}.admin', '${org.mspId}.peer', '${org.mspId}.client')`),
      Writers: signature(`OR('${org.mspId}.admin', '${org.mspId}.client')`),
      Admins: signature(`OR('${org.mspId}.admin')`),
      Endorsement: signature(`OR('${org.mspId}.peer')`),
    },
  };
}

/** configtx.yaml's content for the founders: one profile, `MarketplaceChannel`. */
export function configtxOf(founders: ChannelFounders): object {
  const { ordererOrg } = founders;
  const ordererOrgSection = {
    Name: ordererOrg.name,
    ID: ordererOrg.mspId,
    MSPDir: ordererOrg.mspDir,
    OrdererEndpoints: ordererOrg.endpoints,
    Policies: {
      Readers: signature(`OR('${ordererOrg.mspId}.member')`),
      Writers: signature(`OR('${ordererOrg.mspId}.member')`),
      Admins: signature(`OR('${ordererOrg.mspId}.admin')`),
    },
  };
  const peerOrgSections = founders.peerOrgs.map(peerOrgSection);
  const standardPolicies = {
    Readers: implicitMeta('ANY Readers'),
    Writers: implicitMeta('ANY Writers'),
    Admins: implicitMeta('MAJORITY Admins'),
  };
  return {
    Profiles: {
      [channelProfileName]: {
        Policies: standardPolicies,
        Capabilities: { V3_0: true },
        Orderer: {
          OrdererType: 'etcdraft',
          BatchTimeout: topology.ordering.batchTimeout,
          BatchSize: {
            MaxMessageCount: topology.ordering.maxMessageCount,
            AbsoluteMaxBytes: topology.ordering.absoluteMaxBytes,
            PreferredMaxBytes: topology.ordering.preferredMaxBytes,
          },
          EtcdRaft: {
            Consenters: founders.consenters.map((consenter) => ({
              Host: consenter.host,
              Port: consenter.port,
              ClientTLSCert: consenter.tlsCert,
              ServerTLSCert: consenter.tlsCert,
            })),
            Options: {
              TickInterval: '500ms',
              ElectionTick: 10,
              HeartbeatTick: 1,
              MaxInflightBlocks: 5,
              SnapshotIntervalSize: '16 MB',
            },
          },
          Organizations: [ordererOrgSection],
          Policies: { ...standardPolicies, BlockValidation: implicitMeta('ANY Writers') },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: peerOrgSections,
          Policies: {
            ...standardPolicies,
            LifecycleEndorsement: implicitMeta('MAJORITY Endorsement'),
            Endorsement: implicitMeta('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
}

/** Writes configtx.yaml into `configDir` and the channel's genesis block to `blockFile` with configtxgen. */
export async function writeGenesisBlock(
  founders: ChannelFounders,
  channel: string,
  blockFile: string,
  configDir: string,
): Promise<void> {
  fs.mkdirSync(configDir, { recursive: true });
  fs.mkdirSync(path.dirname(blockFile), { recursive: true });
  fs.writeFileSync(path.join(configDir, 'configtx.yaml'), YAML.stringify(configtxOf(founders)));
  await runCommand(fabricBin('configtxgen'), [
    '-profile',
    channelProfileName,
    '-outputBlock',
    blockFile,
    '-channelID',
    channel,
    '-configPath',
    configDir,
  ]);
}
