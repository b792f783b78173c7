// `npm run operator -- <command>`: the operator commands, wired to the network through the runner's
// own Fabric code. Progress goes to stderr, so `--json` output on stdout stays machine-readable.
// First: --state / --address become the environment the runner's code reads when it is loaded.
import './ownHost';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { localCaPlace } from '../network/certificateAuthority';
import { joinOrderer, ordererChannels } from '../network/channel';
import { parseAddressOptions, writeOrgAddresses } from '../network/orgAddresses';
import { ordererOrg, peerOrg } from '../network/topology';
import { ordererOfBundle, peersOfBundles, requireDirectory } from './bundleNodes';
import { createChannelBlock } from './channelFromBundles';
import { prepareOrgAddition, signUpdate, submitUpdate } from './channelMembership';
import { approveAsOrg, commitAsOrg, describeApprovals } from './chaincodeLifecycle';
import { initOrg } from './orgInit';
import { joinFromFile, joinFromOrderer } from './peerJoin';
import { runOrgNodes } from './orgNodes';
import { identityProviderCaOf, runIdentityProvider } from './identityProviderHost';
import { addJoiningOrgRealm } from './realmAdd';
import { formatConsortium } from './consortiumTable';
import { EXIT_USAGE, OperatorError } from './operatorError';
import { readConsortium } from './consortiumView';
import { buildOrgBundle, writeOrgBundle } from './orgBundle';
import { revokeUser } from './userRevoke';
import { runPaymentsCommand } from './paymentsCommands';
import { recordOperatorAction } from './operatorSecurityEvent';
import { runReviewRings } from './reviewRingsCommand';
import { localProofTrust, proofTrustFromFolders } from '../network/proofTrust';
import { comparePeers, formatProofReport, verifyProofFile } from './proofVerify';
import {
  addMarketplace,
  formatRegistry,
  readRegistry,
  registerFounding,
  setMarketplaceStatus,
} from './marketplaceGovernance';
import {
  runOperator,
  type LifecycleOptions,
  type MarketplaceChangeOptions,
  type OperatorActions,
  type OperatorOutput,
} from './program';

const output: OperatorOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const progress = (line: string) => {
  output.err(`==> ${line}\n`);
};

/** The orderer and the approving orgs' peers, from the bundles an operator on its own host was sent. */
function remoteNodesOf(options: Pick<LifecycleOptions, 'ordererBundle' | 'bundle'>) {
  const orderer = options.ordererBundle;
  return {
    ...(orderer === undefined
      ? {}
      : { orderer: ordererOfBundle(requireDirectory(path.resolve(orderer), 'orderer bundle')) }),
    ...(options.bundle === undefined
      ? {}
      : { peers: peersOfBundles(options.bundle.map((dir) => path.resolve(dir))) }),
  };
}

/** The proposing org and the nodes its operator reaches through other orgs' bundles. */
function governanceOf(options: MarketplaceChangeOptions) {
  return {
    org: peerOrg(options.as),
    remote: remoteNodesOf(options),
    progress,
  };
}

const actions: OperatorActions = {
  reviewRings: (options) => runReviewRings(options),
  async proofVerify(file, options) {
    const trust =
      options.msp === undefined ? localProofTrust() : proofTrustFromFolders(options.msp, options.ordererMsp);
    const proof = verifyProofFile(path.resolve(file), trust);
    const peers =
      options.comparePeers === undefined ? [] : await comparePeers(proof, options.comparePeers, options.as);
    const report = { proof, peers };
    output.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatProofReport(report));
  },
  async marketplaceList(options) {
    const registry = await readRegistry(peerOrg(options.as));
    output.out(options.json ? `${JSON.stringify(registry, null, 2)}\n` : formatRegistry(registry));
  },
  async marketplaceRegisterFounding(options) {
    output.out(formatRegistry(await registerFounding(governanceOf(options))));
  },
  async marketplaceChange(change, name, options) {
    const request = governanceOf(options);
    const registry =
      change === 'add'
        ? await addMarketplace(request, name)
        : await setMarketplaceStatus(request, name, change);
    output.out(formatRegistry(registry));
  },
  async consortiumShow(options) {
    const view = await readConsortium({ as: peerOrg(options.as), peerAddress: options.peer, progress });
    output.out(options.json ? `${JSON.stringify(view, null, 2)}\n` : formatConsortium(view));
  },
  async peerJoin(org, options) {
    const joined =
      options.block === undefined
        ? await joinFromOrderer(peerOrg(org), options.orderer, progress)
        : await joinFromFile(peerOrg(org), path.resolve(options.block), progress);
    output.out(
      joined ? `${org}'s peer joined the channel\n` : `${org}'s peer is a member of the channel already\n`,
    );
  },
  async channelCreate(options) {
    const out = path.resolve(options.out);
    const founders = await createChannelBlock({
      channel: options.channel,
      bundles: options.bundle.map((dir) => path.resolve(dir)),
      ordererBundle: path.resolve(options.ordererBundle),
      out,
      progress,
    });
    const orgs = [founders.ordererOrg, ...founders.peerOrgs].map((org) => org.mspId).join(', ');
    output.out(`genesis block of channel ${options.channel} (${orgs}) written to ${out}\n`);
  },
  async channelAddOrg(options) {
    const out = path.resolve(options.out);
    const addition = await prepareOrgAddition({
      bundle: path.resolve(options.bundle),
      readAs: peerOrg(options.as),
      out,
      progress,
    });
    if (addition.signers.length === 0) {
      output.out(`${addition.org} is a member of the channel already; nothing written\n`);
      return;
    }
    output.out(
      `update adding ${addition.org} (${addition.mspId}) written to ${out}; it needs the signatures of ${String(addition.signers.length)} member admins, e.g. ${addition.signers.join(', ')}: each runs \`channel sign-update ${out} --as <org>\` on its host, the last one \`channel submit-update ${out} --as <org>\`\n`,
    );
  },
  async channelSignUpdate(file, options) {
    const signers = await signUpdate(path.resolve(file), peerOrg(options.as), progress);
    output.out(`signed as ${options.as}; signatures so far: ${signers.join(', ')}\n`);
  },
  async channelSubmitUpdate(file, options) {
    const orderer =
      options.ordererBundle === undefined
        ? undefined
        : ordererOfBundle(requireDirectory(path.resolve(options.ordererBundle), 'orderer bundle'));
    const signers = await submitUpdate({
      file: path.resolve(file),
      org: peerOrg(options.as),
      ...(orderer === undefined ? {} : { orderer }),
      progress,
    });
    output.out(`submitted as ${options.as} with the signatures of ${signers.join(', ')}\n`);
  },
  async ordererJoin(org, options) {
    const block = path.resolve(options.block);
    if (!fs.existsSync(block)) throw new OperatorError('BLOCK_NOT_FOUND', `no block at ${block}`, EXIT_USAGE);
    for (const node of options.node ?? ordererOrg.nodes) {
      progress(`joining ${node} of ${org} to channel ${options.channel} (osnadmin)`);
      const joined = await joinOrderer(node, options.channel, block);
      output.out(
        joined
          ? `${node} joined channel ${options.channel}\n`
          : `${node} is a member of channel ${options.channel} already\n`,
      );
    }
  },
  async ordererList(options) {
    for (const node of options.node ?? ordererOrg.nodes) {
      progress(`asking ${node} for its channels (osnadmin)`);
      const channels = await ordererChannels(node);
      output.out(`${node}: ${channels.join(', ') || '(no channel)'}\n`);
    }
  },
  async chaincodeApprove(options) {
    const approvals = await approveAsOrg({
      ...options,
      org: peerOrg(options.as),
      remote: remoteNodesOf(options),
      progress,
    });
    output.out(`approved as ${options.as}; ${describeApprovals(approvals)}\n`);
  },
  async chaincodeCommit(options) {
    await commitAsOrg({ ...options, org: peerOrg(options.as), remote: remoteNodesOf(options), progress });
    output.out(`committed as ${options.as}\n`);
  },
  async orgInit(org, options) {
    const local = localCaPlace(org);
    const root = path.resolve(options.state);
    const addresses = parseAddressOptions(options.address ?? [], local.host);
    const place = {
      root,
      host: addresses.host,
      port: options.caPort ?? local.port,
      operationsPort: options.caOperationsPort ?? local.operationsPort,
    };
    // Recorded before enrollment: the nodes' TLS certificates name these addresses.
    if (options.address !== undefined) writeOrgAddresses(org, addresses, root);
    const mspDir = await initOrg({ org, place, progress });
    output.out(`${org} initialised in ${place.root}; its public MSP is ${mspDir}\n`);
  },
  async orgStart(org, options) {
    const root = path.resolve(options.state);
    const part = options.nodesOnly === true ? 'nodes' : 'deployment';
    const request = {
      org,
      root,
      address: options.address,
      nodes: options.node,
      part,
      identityProvider: options.identityProvider,
      identityProviderCa: options.identityProviderCa,
      progress,
    } as const;
    const address = await runOrgNodes('start', request);
    output.out(`${org}'s ${part === 'nodes' ? 'nodes run' : 'deployment runs'} on ${address} from ${root}\n`);
  },
  async orgStop(org, options) {
    const root = path.resolve(options.state);
    await runOrgNodes('stop', { org, root, address: options.address, nodes: options.node, progress });
    output.out(`${org}'s nodes on this host are stopped\n`);
  },
  async identityProvider(verb, options) {
    const root = path.resolve(options.state);
    const url = await runIdentityProvider(verb, { root, address: options.address, progress });
    output.out(
      verb === 'start'
        ? `the identity provider runs at ${url} from ${root}; its TLS root: ${identityProviderCaOf(root)}\n`
        : 'the identity provider on this host is stopped\n',
    );
  },
  async identityProviderRealmAdd(org, options) {
    const added = await addJoiningOrgRealm(peerOrg(org), progress);
    output.out(
      added.created
        ? `realm ${added.realm} of ${org} created; issuer ${added.issuer}; its backend's secret and its users' passwords are in ${added.secrets} (state ${path.resolve(options.state)})\n`
        : `realm ${added.realm} of ${org} exists at ${added.issuer} already; nothing changed\n`,
    );
  },
  paymentsReconcile(options) {
    const json = options.json ? ['--json'] : [];
    return runPaymentsCommand(options.org, [
      'reconcile',
      '--from',
      options.from,
      '--to',
      options.to,
      ...json,
    ]);
  },
  paymentsPayeeRegister(userId, account, options) {
    return runPaymentsCommand(options.org, ['payee-register', userId, account]);
  },
  paymentsPayeeList(options) {
    return runPaymentsCommand(options.org, ['payee-list', ...(options.json ? ['--json'] : [])]);
  },
  paymentsStatement(args, options) {
    return runPaymentsCommand(options.org, args);
  },
  async userRevoke(org, enrollmentId, options) {
    await revokeUser({ org: peerOrg(org), enrollmentId, reason: options.reason, progress });
    output.out(`${enrollmentId} of ${org} revoked; every peer holds the channel config with its CRL\n`);
  },
  exportBundle(org, options) {
    const outDir = path.resolve(options.out);
    progress(`collecting ${org}'s public MSP and endpoints`);
    const files = buildOrgBundle(org, options.state === undefined ? undefined : path.resolve(options.state));
    const written = writeOrgBundle(files, outDir);
    progress(`checked ${String(written.length)} files for private keys: none`);
    output.out(`${org}'s bundle written to ${outDir} (${written.join(', ')})\n`);
    return Promise.resolve();
  },
};

const argv = process.argv.slice(2);
void runOperator(argv, actions, output)
  .then(async (code) => {
    process.exitCode = code;
    await recordOperatorAction(argv, code);
  })
  .catch((error: unknown) => {
    // The command's outcome stands; only its security event could not be written.
    output.err(`security event not written: ${String(error)}\n`);
  });
