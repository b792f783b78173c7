// The Kubernetes deployment of one org (deploy/helm/p2p-escrow-org) is proven by validation only:
// `helm lint` and `helm template` for each org's values, and the rendered manifests checked offline
// against the Kubernetes API types and the project's rules by deploy/validate. No cluster, no network.
// Helm and the validator are built from their Go modules by scripts/install/helm.sh into the cache.
import { expect } from 'chai';
import * as path from 'node:path';
import YAML from 'yaml';
import { CommandFailedError, readVersions, repoRoot, runCommand } from '@p2p-escrow/scripts';

const chartDir = path.join(repoRoot, 'deploy', 'helm', 'p2p-escrow-org');
const valuesDir = path.join(repoRoot, 'deploy', 'helm', 'values');
/**
 * The Kubernetes version the chart is rendered for: that of the API types the validator decodes into
 * (k8s.io/api v0.X.Y serves Kubernetes 1.X), not Helm's built-in default.
 */
const kubeVersion = `1.${readVersions(repoRoot)['K8S_API_VERSION']?.split('.')[1] ?? '?'}.0`;
/** A package id of the form `peer lifecycle chaincode install` prints. */
const packageId = `escrow:${'ab'.repeat(32)}`;

interface OrgRelease {
  readonly values: string;
  readonly namespace: string;
  /** The workloads (kind/name) the org's release must run, and no others. */
  readonly workloads: string[];
}

/** A peer org's release: its Fabric nodes, gateway, mirror, event pipeline and migration Job, and `more`. */
const peerOrg = (org: string, more: string[] = []): OrgRelease => ({
  values: `${org}.yaml`,
  namespace: org,
  workloads: [
    `StatefulSet/ca-${org}`,
    `StatefulSet/peer0-${org}`,
    `Deployment/chaincode-${org}`,
    'Deployment/gateway',
    'Deployment/mirror',
    'Deployment/outbox-relay',
    'Deployment/notifier',
    'Job/database-migrate',
    ...more,
  ],
});

const releases: Record<string, OrgRelease> = {
  MarketA: peerOrg('marketa'),
  MarketB: peerOrg('marketb'),
  // The deadline keeper submits as Oversight's keeper identity: Oversight alone runs it.
  Oversight: peerOrg('oversight', ['Deployment/keeper']),
  Orderer: {
    values: 'orderer.yaml',
    namespace: 'orderer',
    workloads: [
      'StatefulSet/ca-orderer',
      'StatefulSet/orderer1',
      'StatefulSet/orderer2',
      'StatefulSet/orderer3',
    ],
  },
};

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string } };
  livenessProbe?: { httpGet?: { path: string; port: string } };
}

interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  restartPolicy?: string;
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: { template?: { spec?: PodSpec } };
}

let helmBin = '';
let validatorBin = '';

function helm(args: string[]): Promise<string> {
  return runCommand(helmBin, args, { cwd: repoRoot, timeoutMs: 60_000 });
}

function releaseArgs(release: OrgRelease): string[] {
  return [
    ...['--namespace', release.namespace, '--kube-version', kubeVersion],
    ...['-f', path.join(valuesDir, release.values)],
    ...['--set', `chaincodeServer.packageId=${packageId}`],
  ];
}

function render(release: OrgRelease): Promise<string> {
  return helm(['template', release.namespace, chartDir, ...releaseArgs(release)]);
}

function documentsOf(rendered: string): Manifest[] {
  return YAML.parseAllDocuments(rendered)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

function containersOf(manifests: Manifest[]): Container[] {
  return manifests.flatMap((manifest) => manifest.spec?.template?.spec?.containers ?? []);
}

/** Runs the validator on `manifests`; resolves with its summary, or its problems when it refuses them. */
async function validate(manifests: string): Promise<{ accepted: boolean; output: string }> {
  try {
    return { accepted: true, output: await runCommand(validatorBin, ['-'], { input: manifests }) };
  } catch (error) {
    if (!(error instanceof CommandFailedError)) throw error;
    return { accepted: false, output: error.stderr };
  }
}

describe('Helm chart of one org (deploy/helm/p2p-escrow-org)', function () {
  this.timeout(60_000);
  const versions = readVersions(repoRoot);
  const rendered = new Map<string, string>();

  before(async function () {
    // A cold cache builds Helm and the validator (minutes); a warm one finds both at once.
    this.timeout(1_200_000);
    await runCommand('bash', [path.join(repoRoot, 'scripts', 'install', 'helm.sh')], {
      timeoutMs: 1_200_000,
    });
    const paths = await runCommand('bash', [
      '-c',
      'source scripts/lib/common.sh && printf "%s\\n%s\\n" "$HELM_BIN" "$MANIFEST_VALIDATOR_BIN"',
    ]);
    [helmBin = '', validatorBin = ''] = paths.trim().split('\n');
    for (const [org, release] of Object.entries(releases)) rendered.set(org, await render(release));
  });

  it('builds Helm and the validator once: a second install run reuses both from the cache', async () => {
    const started = Date.now();
    const output = await runCommand('bash', [path.join(repoRoot, 'scripts', 'install', 'helm.sh')]);
    expect(output).to.include(`Helm ${versions['HELM_VERSION'] ?? '?'} already built`);
    expect(output).to.include('Manifest validator already built');
    expect(Date.now() - started, 'a cached install run takes').to.be.below(10_000);
    expect(await helm(['version', '--short'])).to.match(
      new RegExp(`^v${versions['HELM_VERSION'] ?? '?'}(\\+|\\s*$)`),
    );
  });

  for (const [org, release] of Object.entries(releases)) {
    it(`passes helm lint with ${org}'s values`, async () => {
      const output = await helm(['lint', '--strict', chartDir, ...releaseArgs(release)]);
      expect(output).to.include('1 chart(s) linted, 0 chart(s) failed');
    });

    it(`renders ${org}'s deployment, exactly its own workloads, and the validator accepts it`, async () => {
      const manifests = documentsOf(rendered.get(org) ?? '');
      const workloads = manifests
        .filter((manifest) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(manifest.kind))
        .map((manifest) => `${manifest.kind}/${manifest.metadata.name}`);
      expect(workloads.sort()).to.deep.equal([...release.workloads].sort());
      const { accepted, output } = await validate(rendered.get(org) ?? '');
      expect(accepted, output).to.equal(true);
      const summary = JSON.parse(output) as { documents: number };
      expect(summary.documents).to.equal(manifests.length);
    });
  }

  it('runs the official Fabric images at the versions of versions.conf', () => {
    const images = [...rendered.values()].flatMap((text) =>
      containersOf(documentsOf(text)).map((c) => c.image),
    );
    const fabric = images.filter((image) => image.startsWith('hyperledger/'));
    expect(new Set(fabric)).to.deep.equal(
      new Set([
        `hyperledger/fabric-ca:${versions.FABRIC_CA_VERSION}`,
        `hyperledger/fabric-peer:${versions.FABRIC_VERSION}`,
        `hyperledger/fabric-orderer:${versions.FABRIC_VERSION}`,
      ]),
    );
  });

  it("gives a marketplace's gateway its own org only, with every secret from a Secret", () => {
    const gateway = containersOf(documentsOf(rendered.get('MarketA') ?? '')).find(
      (c) => c.name === 'gateway',
    );
    const env = gateway?.env ?? [];
    expect(env.find((variable) => variable.name === 'P2P_FABRIC_ORG')?.value).to.equal('MarketA');
    expect(env.find((variable) => variable.name === 'P2P_FABRIC_ORGS')?.value).to.equal('MarketA');
    const orgVariables = env.filter((variable) => variable.name.startsWith('P2P_FABRIC_ORG_'));
    expect(orgVariables.length).to.be.greaterThan(0);
    for (const variable of orgVariables) expect(variable.name).to.match(/^P2P_FABRIC_ORG_MARKETA_/);
    for (const name of ['P2P_FABRIC_ORG_MARKETA_REGISTRAR_SECRET', 'P2P_DATABASE_URL', 'P2P_REDIS_URL']) {
      const variable = env.find((entry) => entry.name === name);
      expect(variable?.value, name).to.equal(undefined);
      expect(variable?.valueFrom?.secretKeyRef?.name, name).to.be.a('string').and.not.equal('');
    }
  });

  it("puts the gateway Service's names in the namespace into its HTTPS certificate", () => {
    const gateway = containersOf(documentsOf(rendered.get('MarketB') ?? '')).find(
      (c) => c.name === 'gateway',
    );
    const names = gateway?.env?.find((variable) => variable.name === 'P2P_GATEWAY_TLS_NAMES')?.value;
    expect(names?.split(',')).to.deep.equal([
      'gateway',
      'gateway.marketb',
      'gateway.marketb.svc',
      'gateway.marketb.svc.cluster.local',
    ]);
  });

  it('runs the relay, notifier and keeper each with its own database role and Kafka user, probed on its operations port', () => {
    const containers = containersOf(documentsOf(rendered.get('Oversight') ?? ''));
    const secretOf = (c: Container | undefined, name: string) =>
      c?.env?.find((variable) => variable.name === name)?.valueFrom?.secretKeyRef?.name;
    const daemons = ['outbox-relay', 'notifier', 'keeper'].map((name) => {
      const daemon = containers.find((c) => c.name === name);
      expect(daemon?.image, name).to.match(/^p2p-escrow\/offchain-db:/);
      const operations = daemon?.ports?.find((port) => port.name === 'operations');
      expect(operations, name).to.not.equal(undefined);
      expect(daemon?.readinessProbe?.httpGet, name).to.deep.equal({ path: '/readyz', port: 'operations' });
      expect(daemon?.livenessProbe?.httpGet, name).to.deep.equal({ path: '/healthz', port: 'operations' });
      return daemon;
    });
    const databaseRoles = daemons.map((daemon) => secretOf(daemon, 'P2P_DATABASE_URL'));
    expect(
      new Set([
        ...databaseRoles,
        secretOf(
          containers.find((c) => c.name === 'mirror'),
          'P2P_DATABASE_URL',
        ),
      ]).size,
    ).to.equal(4);
    const [relay, notifier] = daemons;
    expect(secretOf(relay, 'P2P_KAFKA_PASSWORD')).to.be.a('string');
    expect(secretOf(relay, 'P2P_KAFKA_PASSWORD')).to.not.equal(secretOf(notifier, 'P2P_KAFKA_PASSWORD'));
  });

  it('migrates the schemas as the owner in a pre-install and pre-upgrade hook Job, projection first', () => {
    const job = documentsOf(rendered.get('MarketA') ?? '').find((m) => m.kind === 'Job');
    expect(job?.metadata.annotations?.['helm.sh/hook']).to.equal('pre-install,pre-upgrade');
    const pod = job?.spec?.template?.spec;
    const steps = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
    expect(steps.map((c) => [c.name, c.image.split(':')[0]])).to.deep.equal([
      ['offchain-migrations', 'p2p-escrow/offchain-db'],
      ['gateway-migrations', 'p2p-escrow/gateway-api'],
    ]);
    for (const step of steps)
      expect(
        step.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name,
      ).to.equal('database-owner');
  });

  it('points each peer at its own org chaincode server through the ccaas builder', () => {
    const peer = containersOf(documentsOf(rendered.get('MarketB') ?? '')).find((c) => c.name === 'peer');
    const builder = peer?.env?.find((variable) => variable.name === 'CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG');
    expect(JSON.parse(builder?.value ?? '{}')).to.deep.include({
      chaincodeAddress: 'chaincode-marketb:8999',
    });
  });

  it('refuses to render a chaincode server without the package id its peer installed', async () => {
    const release = releases['MarketA'];
    if (release === undefined) throw new Error('no MarketA release');
    const args = ['template', 'marketa', chartDir, '--kube-version', kubeVersion];
    args.push('-f', path.join(valuesDir, release.values));
    let failure: unknown;
    await helm(args).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(CommandFailedError);
    expect((failure as CommandFailedError).stderr).to.include('chaincodeServer.packageId is required');
  });

  describe('the validator refuses a broken manifest', () => {
    /** MarketA's rendered `kind`/`name`, changed by `breakIt`, alone in a stream. */
    function broken(kind: string, name: string, breakIt: (document: YAML.Document) => void): string {
      const found = YAML.parseAllDocuments(rendered.get('MarketA') ?? '').find((document) => {
        const manifest = document.toJS() as Manifest | null;
        return manifest?.kind === kind && manifest.metadata.name === name;
      });
      if (found === undefined) throw new Error(`MarketA renders no ${kind}/${name}`);
      breakIt(found);
      return found.toString();
    }

    const brokenGateway = (breakIt: (deployment: YAML.Document) => void) =>
      broken('Deployment', 'gateway', breakIt);

    const pod = ['spec', 'template', 'spec'];
    const container = [...pod, 'containers', 0];
    const cases: [string, (deployment: YAML.Document) => void, RegExp][] = [
      [
        'an unknown field',
        (d) => {
          d.setIn([...container, 'imagePullPolicyy'], 'Always');
        },
        /unknown field "imagePullPolicyy"/,
      ],
      [
        'a port of the wrong type',
        (d) => {
          d.setIn([...container, 'ports', 0, 'containerPort'], 'https');
        },
        /cannot unmarshal/,
      ],
      [
        'a malformed quantity',
        (d) => {
          d.setIn([...container, 'resources', 'limits', 'memory'], '512 megs');
        },
        /quantities must match/,
      ],
      [
        'a container without resource limits',
        (d) => d.deleteIn([...container, 'resources', 'limits']),
        /has no memory limit/,
      ],
      [
        'a container allowed to run as root',
        (d) => {
          d.setIn([...pod, 'securityContext', 'runAsNonRoot'], false);
        },
        /may run as root/,
      ],
      [
        'a database password inline',
        (d) => {
          d.setIn(
            [...container, 'env'],
            [{ name: 'P2P_DATABASE_URL', value: 'postgres://gateway:hunter2@db/escrow' }],
          );
        },
        /sets P2P_DATABASE_URL inline/,
      ],
      [
        'a long-running service without a readiness probe',
        (d) => d.deleteIn([...container, 'readinessProbe']),
        /no readiness probe/,
      ],
      [
        'an unpinned image',
        (d) => {
          d.setIn([...container, 'image'], 'p2p-escrow/gateway-api:latest');
        },
        /is :latest/,
      ],
    ];

    for (const [what, breakIt, problem] of cases) {
      it(`with ${what}`, async () => {
        const { accepted, output } = await validate(brokenGateway(breakIt));
        expect(accepted, 'the validator accepted the broken manifest').to.equal(false);
        expect(output).to.match(problem);
      });
    }

    it('with a Job that has no deadline', async () => {
      const job = broken('Job', 'database-migrate', (d) => d.deleteIn(['spec', 'activeDeadlineSeconds']));
      const { accepted, output } = await validate(job);
      expect(accepted, 'the validator accepted the broken manifest').to.equal(false);
      expect(output).to.match(/Job without activeDeadlineSeconds/);
    });

    it('with a Secret carrying values, and with a kind it does not know', async () => {
      const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { url: 'x' } };
      const unknown = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
      const { accepted, output } = await validate(`${YAML.stringify(secret)}---\n${YAML.stringify(unknown)}`);
      expect(accepted).to.equal(false);
      expect(output).to.include('renders a Secret').and.to.include('unknown kind "Widget"');
    });
  });
});
