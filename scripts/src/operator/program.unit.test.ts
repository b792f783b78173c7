import { expect } from 'chai';
import { CommandFailedError } from '../env/command';
import { EXIT_RUNTIME, EXIT_USAGE, OperatorError } from './operatorError';
import {
  joiningOrgName,
  runOperator,
  type ChannelAddOrgOptions,
  type ChannelCreateOptions,
  type ConsortiumShowOptions,
  type ExportBundleOptions,
  type LifecycleOptions,
  type OrdererJoinOptions,
  type OrdererListOptions,
  type OrgInitOptions,
  type OrgNodesOptions,
  type PeerJoinOptions,
  type MarketplaceChange,
  type MarketplaceChangeOptions,
  type MarketplaceListOptions,
  type PaymentsOrgOptions,
  type PaymentsReconcileOptions,
  type ProofVerifyOptions,
  type ReviewRingsOptions,
  type UpdateSignOptions,
  type UserRevokeOptions,
} from './program';

interface Run {
  code: number;
  out: string;
  err: string;
  shows: ConsortiumShowOptions[];
  exports: [string, ExportBundleOptions][];
  inits: [string, OrgInitOptions][];
  lifecycle: [string, LifecycleOptions][];
  joins: [string, PeerJoinOptions][];
  ordererJoins: [string, OrdererJoinOptions][];
  ordererLists: OrdererListOptions[];
  creates: ChannelCreateOptions[];
  revokes: [string, string, UserRevokeOptions][];
  additions: ChannelAddOrgOptions[];
  governance: [
    MarketplaceChange | 'register-founding' | 'list',
    string,
    MarketplaceChangeOptions | MarketplaceListOptions,
  ][];
  updates: [string, string, UpdateSignOptions][];
  nodes: [string, string, OrgNodesOptions][];
  payments: [string, PaymentsReconcileOptions | PaymentsOrgOptions, ...string[]][];
  proofs: [string, ProofVerifyOptions][];
  reviewRings: ReviewRingsOptions[];
}

async function run(argv: string[], failure?: Error): Promise<Run> {
  const result: Run = {
    code: -1,
    out: '',
    err: '',
    shows: [],
    exports: [],
    inits: [],
    lifecycle: [],
    joins: [],
    ordererJoins: [],
    ordererLists: [],
    creates: [],
    revokes: [],
    additions: [],
    governance: [],
    updates: [],
    nodes: [],
    payments: [],
    proofs: [],
    reviewRings: [],
  };
  result.code = await runOperator(
    argv,
    {
      reviewRings: (options) => {
        result.reviewRings.push(options);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      proofVerify: (file, options) => {
        result.proofs.push([file, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      consortiumShow: (options) => {
        result.shows.push(options);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      channelCreate: (options) => {
        result.creates.push(options);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      marketplaceList: (options) => {
        result.governance.push(['list', '', options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      marketplaceRegisterFounding: (options) => {
        result.governance.push(['register-founding', '', options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      marketplaceChange: (change, name, options) => {
        result.governance.push([change, name, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      channelAddOrg: (options) => {
        result.additions.push(options);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      channelSignUpdate: (file, options) => {
        result.updates.push(['sign', file, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      channelSubmitUpdate: (file, options) => {
        result.updates.push(['submit', file, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      ordererJoin: (org, options) => {
        result.ordererJoins.push([org, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      ordererList: (options) => {
        result.ordererLists.push(options);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      peerJoin: (org, options) => {
        result.joins.push([org, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      chaincodeApprove: (options) => {
        result.lifecycle.push(['approve', options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      chaincodeCommit: (options) => {
        result.lifecycle.push(['commit', options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      orgInit: (org, options) => {
        result.inits.push([org, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      orgStart: (org, options) => {
        result.nodes.push(['start', org, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      orgStop: (org, options) => {
        result.nodes.push(['stop', org, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      identityProvider: (verb, options) => {
        result.nodes.push([verb, 'identity-provider', options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      identityProviderRealmAdd: (org, options) => {
        result.nodes.push(['realm add', org, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      exportBundle: (org, options) => {
        result.exports.push([org, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      userRevoke: (org, id, options) => {
        result.revokes.push([org, id, options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      paymentsReconcile: (options) => {
        result.payments.push(['reconcile', options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      paymentsPayeeRegister: (userId, account, options) => {
        result.payments.push(['payee register', options, userId, account]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      paymentsStatement: (args, options) => {
        result.payments.push(['statement', options, ...args]);
        return Promise.resolve();
      },
      paymentsPayeeList: (options) => {
        result.payments.push(['payee list', options]);
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
    },
    { out: (text) => (result.out += text), err: (text) => (result.err += text) },
  );
  return result;
}

function expectOneLineError(result: Run, code: number, pattern: RegExp): void {
  expect(result.code).to.equal(code);
  expect(result.err.trimEnd().split('\n'), result.err).to.have.length(1);
  expect(result.err)
    .to.match(/^error: /)
    .and.to.match(pattern);
}

describe('operator command line: arguments', () => {
  it('shows the consortium as MarketA by default, as tables unless --json', async () => {
    const tables = await run(['consortium', 'show']);
    const json = await run(['consortium', 'show', '--json']);
    expect(tables.code).to.equal(0);
    expect(tables.shows).to.deep.equal([{ json: false, as: 'MarketA' }]);
    expect(json.shows).to.deep.equal([{ json: true, as: 'MarketA' }]);
  });

  it("shows the consortium from an org's own host: --state and --address as the other org commands", async () => {
    const result = await run([
      'consortium',
      'show',
      '--as',
      'MarketB',
      '--state',
      'b',
      '--address',
      '10.0.0.2',
    ]);
    expect(result.code).to.equal(0);
    expect(result.shows).to.deep.equal([{ json: false, as: 'MarketB', state: 'b', address: '10.0.0.2' }]);
  });

  it('names orgs by name or MSP ID in any case', async () => {
    const result = await run(['consortium', 'show', '--as', 'marketbmsp', '--peer', '10.0.0.2:8051']);
    expect(result.shows).to.deep.equal([{ json: false, as: 'MarketB', peer: '10.0.0.2:8051' }]);
    const bundle = await run(['org', 'export-bundle', 'oversight', '--out', 'bundle']);
    expect(bundle.exports).to.deep.equal([['Oversight', { out: 'bundle' }]]);
  });

  it('refuses an unknown org with one line and exit code 2, before acting', async () => {
    const result = await run(['org', 'export-bundle', 'MarketZ', '--out', 'bundle']);
    expectOneLineError(
      result,
      EXIT_USAGE,
      /unknown org MarketZ \(known: Orderer, MarketA, MarketB, Oversight, MarketC\)/,
    );
    expect(result.exports).to.deep.equal([]);
  });

  it('refuses a missing --out, a malformed --peer, the orderer org as a peer org and an unknown command', async () => {
    expectOneLineError(await run(['org', 'export-bundle', 'MarketA']), EXIT_USAGE, /--out <dir>/);
    expectOneLineError(await run(['consortium', 'show', '--peer', 'peer0']), EXIT_USAGE, /not host:port/);
    expectOneLineError(await run(['consortium', 'show', '--as', 'Orderer']), EXIT_USAGE, /runs no peer/);
    expectOneLineError(await run(['consortium', 'destroy']), EXIT_USAGE, /unknown command/);
    expectOneLineError(
      await run(['org', 'export-bundle', 'MarketA', 'MarketB', '--out', 'b']),
      EXIT_USAGE,
      /too many/,
    );
  });

  it('initialises an org into the state directory it is given, on the CA ports it is given', async () => {
    const result = await run(['org', 'init', 'MarketA', '--state', 'a', '--ca-port', '27054']);
    expect(result.code).to.equal(0);
    expect(result.inits).to.deep.equal([['MarketA', { state: 'a', caPort: 27054 }]]);
    expectOneLineError(await run(['org', 'init', 'MarketA']), EXIT_USAGE, /--state <dir>/);
    expectOneLineError(
      await run(['org', 'init', 'MarketA', '--state', 'a', '--ca-port', '70000']),
      EXIT_USAGE,
      /70000 is not a port number/,
    );
  });

  it('initialises an org on its own host address, each orderer on the host named for it', async () => {
    const result = await run([
      'org',
      'init',
      'Orderer',
      '--state',
      'o',
      '--address',
      '10.0.0.11',
      '--address',
      'orderer2=10.0.0.12',
    ]);
    expect(result.code, result.err).to.equal(0);
    expect(result.inits).to.deep.equal([
      ['Orderer', { state: 'o', address: ['10.0.0.11', 'orderer2=10.0.0.12'] }],
    ]);
    expectOneLineError(
      await run(['org', 'init', 'Orderer', '--state', 'o', '--address', 'orderer9=10.0.0.19']),
      EXIT_USAGE,
      /unknown orderer orderer9/,
    );
    expectOneLineError(
      await run(['org', 'init', 'MarketA', '--state', 'a', '--address', '10.0.0.1:7051']),
      EXIT_USAGE,
      /not an IPv4 address or host name/,
    );
  });

  it('starts and stops one org’s nodes from its state directory, on the address and orderers given', async () => {
    const started = await run(['org', 'start', 'marketa', '--state', 'a', '--address', '10.0.0.2']);
    expect(started.code, started.err).to.equal(0);
    const stopped = await run(['org', 'stop', 'Orderer', '--state', 'o', '--node', 'orderer2']);
    expect([...started.nodes, ...stopped.nodes]).to.deep.equal([
      ['start', 'MarketA', { state: 'a', address: '10.0.0.2' }],
      ['stop', 'Orderer', { state: 'o', node: ['orderer2'] }],
    ]);
    expectOneLineError(await run(['org', 'start', 'MarketA']), EXIT_USAGE, /--state <dir>/);
  });

  it("adds a joining marketplace's realm on the identity provider of the state directory and address given", async () => {
    const added = await run([
      'identity-provider',
      'realm',
      'add',
      'marketcmsp',
      '--state',
      'i',
      '--address',
      '10.0.0.30',
    ]);
    expect(added.code, added.err).to.equal(0);
    expect(added.nodes).to.deep.equal([['realm add', 'MarketC', { state: 'i', address: '10.0.0.30' }]]);
    expectOneLineError(
      await run(['identity-provider', 'realm', 'add', 'MarketC']),
      EXIT_USAGE,
      /--state <dir>/,
    );
  });

  it('refuses a realm for an unknown org or a founding one with a typed error and exit code 2, before acting', async () => {
    const unknown = await run(['identity-provider', 'realm', 'add', 'MarketZ', '--state', 'i']);
    expectOneLineError(unknown, EXIT_USAGE, /unknown org MarketZ \(joining orgs: MarketC\)/);
    const founding = await run(['identity-provider', 'realm', 'add', 'MarketA', '--state', 'i']);
    expectOneLineError(founding, EXIT_USAGE, /MarketA is a founding org: its realm is imported/);
    expect([...unknown.nodes, ...founding.nodes]).to.deep.equal([]);
    const codeOf = (name: string) => {
      try {
        return joiningOrgName(name);
      } catch (error) {
        return error instanceof OperatorError ? error.code : String(error);
      }
    };
    expect(['MarketZ', 'Oversight', 'OrdererMSP', 'MARKETC'].map(codeOf)).to.deep.equal([
      'UNKNOWN_ORG',
      'REALM_OF_FOUNDING_ORG',
      'REALM_OF_FOUNDING_ORG',
      'MarketC',
    ]);
  });

  it('starts an org whose gateway trusts the identity provider on another host, and that provider on its own', async () => {
    const provider = [
      '--identity-provider',
      'https://10.0.0.30:18443',
      '--identity-provider-ca',
      'idp/ca.pem',
    ];
    const started = await run(['org', 'start', 'MarketB', '--state', 'b', ...provider]);
    expect(started.code, started.err).to.equal(0);
    const idp = await run(['identity-provider', 'start', '--state', 'i', '--address', '10.0.0.30']);
    expect(idp.code, idp.err).to.equal(0);
    expect([...started.nodes, ...idp.nodes]).to.deep.equal([
      [
        'start',
        'MarketB',
        { state: 'b', identityProvider: 'https://10.0.0.30:18443', identityProviderCa: 'idp/ca.pem' },
      ],
      ['start', 'identity-provider', { state: 'i', address: '10.0.0.30' }],
    ]);
    expectOneLineError(
      await run(['org', 'start', 'MarketB', '--state', 'b', '--identity-provider', 'http://10.0.0.30']),
      EXIT_USAGE,
      /not an https URL/,
    );
  });

  it('approves and commits from the org’s own host, reaching the other orgs through their bundles', async () => {
    const result = await run([
      'chaincode',
      'commit',
      '--as',
      'MarketA',
      '--state',
      'a',
      '--address',
      '10.0.0.2',
      '--orderer-bundle',
      'mail/orderer',
      '--bundle',
      'mail/marketb',
      '--bundle',
      'mail/oversight',
    ]);
    expect(result.code, result.err).to.equal(0);
    expect(result.lifecycle).to.deep.equal([
      [
        'commit',
        {
          as: 'MarketA',
          state: 'a',
          address: '10.0.0.2',
          ordererBundle: 'mail/orderer',
          bundle: ['mail/marketb', 'mail/oversight'],
        },
      ],
    ]);
  });

  it('approves and commits as the org named, at the sequence given', async () => {
    await run(['chaincode', 'approve', '--as', 'Oversight']).then((result) => {
      expect(result.lifecycle).to.deep.equal([['approve', { as: 'Oversight' }]]);
    });
    await run(['chaincode', 'commit', '--as', 'marketa', '--sequence', '4']).then((result) => {
      expect(result.lifecycle).to.deep.equal([['commit', { as: 'MarketA', sequence: 4 }]]);
    });
    expectOneLineError(await run(['chaincode', 'approve']), EXIT_USAGE, /--as <org>/);
    expectOneLineError(
      await run(['chaincode', 'commit', '--as', 'MarketA', '--sequence', '0']),
      EXIT_USAGE,
      /not a positive integer/,
    );
  });

  it('approves and commits the package id given, and refuses a malformed one', async () => {
    const id = `escrow_0123abcd:${'ab'.repeat(32)}`;
    await run(['chaincode', 'approve', '--as', 'MarketB', '--package-id', id]).then((result) => {
      expect(result.code).to.equal(0);
      expect(result.lifecycle).to.deep.equal([['approve', { as: 'MarketB', packageId: id }]]);
    });
    await run(['chaincode', 'commit', '--as', 'MarketB', '--package-id', id]).then((result) => {
      expect(result.lifecycle).to.deep.equal([['commit', { as: 'MarketB', packageId: id }]]);
    });
    expectOneLineError(
      await run(['chaincode', 'approve', '--as', 'MarketB', '--package-id', 'escrow_1']),
      EXIT_USAGE,
      /escrow_1 is not a package id/,
    );
  });

  it('joins a peer without a block file (block 0 comes from an orderer), from the orderer named', async () => {
    const fetched = await run(['peer', 'join', 'MarketA']);
    expect(fetched.code).to.equal(0);
    expect(fetched.joins).to.deep.equal([['MarketA', {}]]);
    const named = await run(['peer', 'join', 'MarketA', '--orderer', '10.0.0.9:7050']);
    expect(named.joins).to.deep.equal([['MarketA', { orderer: '10.0.0.9:7050' }]]);
    expectOneLineError(
      await run(['peer', 'join', 'MarketA', '--orderer', 'orderer1']),
      EXIT_USAGE,
      /not host:port/,
    );
  });

  it('joins a peer org’s peer, and refuses the orderer org', async () => {
    const result = await run(['peer', 'join', 'MarketB', '--block', 'genesis.block']);
    expect(result.joins).to.deep.equal([['MarketB', { block: 'genesis.block' }]]);
    expectOneLineError(await run(['peer', 'join', 'Orderer']), EXIT_USAGE, /runs no peer/);
  });

  it('joins the orderer org’s orderers, all or those named, to the channel and block given', async () => {
    const all = await run(['orderer', 'join', 'ordererMSP', '--channel', 'trades-2', '--block', 'g.block']);
    expect(all.code, all.err).to.equal(0);
    expect(all.ordererJoins).to.deep.equal([['Orderer', { channel: 'trades-2', block: 'g.block' }]]);
    const two = await run([
      'orderer',
      'join',
      'Orderer',
      '--channel',
      'trades',
      '--block',
      'g.block',
      '--node',
      'orderer1',
      '--node',
      'orderer3',
    ]);
    expect(two.ordererJoins).to.deep.equal([
      ['Orderer', { channel: 'trades', block: 'g.block', node: ['orderer1', 'orderer3'] }],
    ]);
  });

  it('refuses orderer join for a peer org, a bad channel name, a missing block or an unknown node', async () => {
    expectOneLineError(
      await run(['orderer', 'join', 'MarketA', '--channel', 'c', '--block', 'g']),
      EXIT_USAGE,
      /MarketA runs no orderer/,
    );
    expectOneLineError(
      await run(['orderer', 'join', 'Orderer', '--channel', 'Trades', '--block', 'g']),
      EXIT_USAGE,
      /Trades is not a channel name/,
    );
    expectOneLineError(
      await run(['orderer', 'join', 'Orderer', '--channel', 'c']),
      EXIT_USAGE,
      /--block <file>/,
    );
    expectOneLineError(
      await run(['orderer', 'join', 'Orderer', '--channel', 'c', '--block', 'g', '--node', 'orderer9']),
      EXIT_USAGE,
      /unknown orderer orderer9/,
    );
  });

  it('lists the channels of every orderer, or of those named', async () => {
    expect((await run(['orderer', 'list'])).ordererLists).to.deep.equal([{}]);
    expect((await run(['orderer', 'list', '--node', 'orderer2'])).ordererLists).to.deep.equal([
      { node: ['orderer2'] },
    ]);
  });

  it('creates a channel from every --bundle given and the orderer bundle, named as given or the topology’s', async () => {
    const founding = ['channel', 'create', '--bundle', 'a', '--bundle', 'b', '--bundle', 'o'];
    const result = await run([...founding, '--orderer-bundle', 'ord', '--out', 'g.block']);
    expect(result.code, result.err).to.equal(0);
    expect(result.creates).to.deep.equal([
      { bundle: ['a', 'b', 'o'], ordererBundle: 'ord', out: 'g.block', channel: 'marketplace' },
    ]);
    const named = await run([...founding, '--orderer-bundle', 'ord', '--out', 'g', '--channel', 'trades']);
    expect(named.creates[0]?.channel).to.equal('trades');
  });

  it('refuses channel create without a bundle, the orderer bundle or --out, or with a bad channel name', async () => {
    expectOneLineError(
      await run(['channel', 'create', '--orderer-bundle', 'o', '--out', 'g']),
      EXIT_USAGE,
      /--bundle <dir>/,
    );
    expectOneLineError(
      await run(['channel', 'create', '--bundle', 'a', '--out', 'g']),
      EXIT_USAGE,
      /--orderer-bundle <dir>/,
    );
    expectOneLineError(
      await run(['channel', 'create', '--bundle', 'a', '--orderer-bundle', 'o']),
      EXIT_USAGE,
      /--out <file>/,
    );
    expectOneLineError(
      await run([
        'channel',
        'create',
        '--bundle',
        'a',
        '--orderer-bundle',
        'o',
        '--out',
        'g',
        '--channel',
        '9x',
      ]),
      EXIT_USAGE,
      /9x is not a channel name/,
    );
  });

  it('prints help with exit code 0', async () => {
    const result = await run(['org', 'export-bundle', '--help']);
    expect(result.code).to.equal(0);
    expect(result.out).to.match(/Usage: operator org export-bundle \[options\] <org>/);
  });

  it('reports a failure while acting as one line with exit code 1, or the code the error carries', async () => {
    const toolFailure = new CommandFailedError(
      'peer channel fetch',
      'log line\nError: connection refused\nmore log',
    );
    expectOneLineError(
      await run(['consortium', 'show'], toolFailure),
      EXIT_RUNTIME,
      /peer channel fetch: connection refused/,
    );
    const refused = new OperatorError('OUT_DIR_NOT_EMPTY', 'bundle is not empty', EXIT_USAGE);
    expectOneLineError(
      await run(['org', 'export-bundle', 'MarketA', '--out', 'b'], refused),
      EXIT_USAGE,
      /not empty/,
    );
  });
});

describe('operator command line: user revoke', () => {
  it('revokes an enrollment id of a peer org, for a key compromise unless told otherwise', async () => {
    const plain = await run(['user', 'revoke', 'marketamsp', 'alice-1']);
    const superseded = await run(['user', 'revoke', 'MarketB', 'bob@shop.example', '--reason', 'superseded']);
    expect(plain.code).to.equal(0);
    expect(plain.revokes).to.deep.equal([['MarketA', 'alice-1', { reason: 'keycompromise' }]]);
    expect(superseded.revokes).to.deep.equal([['MarketB', 'bob@shop.example', { reason: 'superseded' }]]);
  });

  it('refuses an unknown reason, an orderer org, a malformed id and a missing id as usage errors', async () => {
    for (const argv of [
      ['user', 'revoke', 'MarketA', 'alice', '--reason', 'because'],
      ['user', 'revoke', 'Orderer', 'alice'],
      ['user', 'revoke', 'MarketA', '-alice'],
      ['user', 'revoke', 'MarketA', 'al ice'],
      ['user', 'revoke', 'MarketA'],
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).to.equal(EXIT_USAGE);
      expect(result.revokes, argv.join(' ')).to.deep.equal([]);
    }
  });

  it('reports a failing revocation as one line with exit 1', async () => {
    const failure = new CommandFailedError('fabric-ca-client', 'Error: Identity alice not found\n');
    const result = await run(['user', 'revoke', 'MarketA', 'alice'], failure);
    expectOneLineError(result, EXIT_RUNTIME, /fabric-ca-client.*Identity alice not found/);
  });

  it('adds an org from its bundle, then signs and submits the update file as named member orgs', async () => {
    const add = await run([
      'channel',
      'add-org',
      '--bundle',
      'marketc',
      '--as',
      'marketamsp',
      '--out',
      'u.pb',
    ]);
    expect(add.code).to.equal(0);
    expect(add.additions).to.deep.equal([{ bundle: 'marketc', as: 'MarketA', out: 'u.pb' }]);
    const sign = await run(['channel', 'sign-update', 'u.pb', '--as', 'oversight']);
    const submit = await run(['channel', 'submit-update', 'u.pb', '--as', 'MarketB']);
    expect([...sign.updates, ...submit.updates]).to.deep.equal([
      ['sign', 'u.pb', { as: 'Oversight' }],
      ['submit', 'u.pb', { as: 'MarketB' }],
    ]);
  });

  it('refuses a channel update without its file, its signer, or signed as the orderer org', async () => {
    expectOneLineError(
      await run(['channel', 'sign-update', '--as', 'MarketA']),
      EXIT_USAGE,
      /missing required argument/,
    );
    expectOneLineError(await run(['channel', 'submit-update', 'u.pb']), EXIT_USAGE, /--as <org>/);
    expectOneLineError(
      await run(['channel', 'sign-update', 'u.pb', '--as', 'Orderer']),
      EXIT_USAGE,
      /runs no peer/,
    );
    expectOneLineError(
      await run(['channel', 'add-org', '--as', 'MarketA', '--out', 'u.pb']),
      EXIT_USAGE,
      /--bundle/,
    );
  });

  it('sets up a joining marketplace (MarketC) by name or MSP ID, though no founder of the channel', async () => {
    const init = await run(['org', 'init', 'marketcmsp', '--state', 'c']);
    expect(init.inits).to.deep.equal([['MarketC', { state: 'c' }]]);
    const join = await run(['peer', 'join', 'MarketC']);
    expect(join.joins).to.deep.equal([['MarketC', {}]]);
  });

  it('governs the marketplace registry: list, register the founders, add, suspend and reinstate by name', async () => {
    const list = await run(['marketplace', 'list', '--json']);
    const founding = await run(['marketplace', 'register-founding', '--as', 'Oversight']);
    const add = await run([
      'marketplace',
      'add',
      'MarketC',
      '--as',
      'marketa',
      '--bundle',
      'b/',
      '--bundle',
      'o/',
      '--orderer-bundle',
      'ord/',
    ]);
    const suspend = await run(['marketplace', 'suspend', 'MarketB', '--as', 'Oversight']);
    expect([
      ...list.governance,
      ...founding.governance,
      ...add.governance,
      ...suspend.governance,
    ]).to.deep.equal([
      ['list', '', { as: 'MarketA', json: true }],
      ['register-founding', '', { as: 'Oversight' }],
      ['add', 'MarketC', { as: 'MarketA', bundle: ['b/', 'o/'], ordererBundle: 'ord/' }],
      ['suspend', 'MarketB', { as: 'Oversight' }],
    ]);
  });

  it('refuses a marketplace name the registry would not take, and a change without its proposer', async () => {
    expectOneLineError(
      await run(['marketplace', 'add', 'market-c', '--as', 'MarketA']),
      EXIT_USAGE,
      /not a marketplace name/,
    );
    expectOneLineError(
      await run(['marketplace', 'suspend', 'Oversight', '--as', 'MarketA']),
      EXIT_USAGE,
      /not Oversight/,
    );
    expectOneLineError(await run(['marketplace', 'reinstate', 'MarketB']), EXIT_USAGE, /--as <org>/);
  });
});

describe('operator command line: payments', () => {
  it('reconciles one marketplace over a period, as text unless --json', async () => {
    const text = await run([
      'payments',
      'reconcile',
      '--org',
      'MarketA',
      '--from',
      '2026-11-30T00:00:00Z',
      '--to',
      '2026-12-01T00:00:00Z',
    ]);
    const json = await run([
      'payments',
      'reconcile',
      '--org',
      'MarketB',
      '--from',
      '2026-11-30',
      '--to',
      '2026-12-01',
      '--json',
    ]);
    expect(text.code).to.equal(0);
    expect(text.payments).to.deep.equal([
      [
        'reconcile',
        { org: 'MarketA', from: '2026-11-30T00:00:00Z', to: '2026-12-01T00:00:00Z', json: false },
      ],
    ]);
    expect(json.payments[0]?.[1]).to.deep.include({ org: 'MarketB', json: true });
  });

  it('refuses a period that is not ISO-8601, a missing bound, and Oversight, as usage errors', async () => {
    for (const argv of [
      ['payments', 'reconcile', '--org', 'MarketA', '--from', 'yesterday', '--to', '2026-12-01'],
      ['payments', 'reconcile', '--org', 'MarketA', '--from', '2026-11-30'],
      ['payments', 'reconcile', '--org', 'Oversight', '--from', '2026-11-30', '--to', '2026-12-01'],
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).to.equal(EXIT_USAGE);
      expect(result.payments).to.deep.equal([]);
    }
  });

  it('registers and lists the payout accounts of a marketplace’s sellers', async () => {
    const registered = await run([
      'payments',
      'payee',
      'register',
      '--org',
      'MarketA',
      'amir',
      'acct_1SellerAmir',
    ]);
    const listed = await run(['payments', 'payee', 'list', '--org', 'MarketA', '--json']);
    expect(registered.payments).to.deep.equal([
      ['payee register', { org: 'MarketA', json: false }, 'amir', 'acct_1SellerAmir'],
    ]);
    expect(listed.payments).to.deep.equal([['payee list', { org: 'MarketA', json: true }]]);
  });

  it("runs the statement commands as the marketplace's payments command with their arguments", async () => {
    const runs = [
      await run(['payments', 'statement-propose', '--org', 'MarketA', '--period', '1', '--with', 'MarketB']),
      await run([
        'payments',
        'statement-pay',
        '--org',
        'MarketA',
        'P:MarketA:MarketB',
        '--to-account',
        'acct_1B',
      ]),
      await run(['payments', 'statement-payout', '--org', 'MarketB', 'P:MarketA:MarketB', '--json']),
      await run(['payments', 'statement-show', '--org', 'MarketB', 'P:MarketA:MarketB']),
    ];
    expect(runs.map((result) => result.payments[0]?.slice(2))).to.deep.equal([
      ['statement-propose', '--period', '1', '--with', 'MarketB'],
      ['statement-pay', 'P:MarketA:MarketB', '--to-account', 'acct_1B'],
      ['statement-payout', 'P:MarketA:MarketB', '--json'],
      ['statement-show', 'P:MarketA:MarketB'],
    ]);
    expect(runs[2]?.payments[0]?.[1]).to.deep.include({ org: 'MarketB', json: true });
  });

  it('refuses a statement command without its period, its pair or its statement, as usage errors', async () => {
    for (const argv of [
      ['payments', 'statement-propose', '--org', 'MarketA', '--with', 'MarketB'],
      ['payments', 'statement-propose', '--org', 'MarketA', '--period', '1'],
      ['payments', 'statement-propose', '--org', 'MarketA', '--period', '1', '--with', 'Oversight'],
      ['payments', 'statement-pay', '--org', 'MarketA'],
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).to.equal(EXIT_USAGE);
      expect(result.payments).to.deep.equal([]);
    }
  });

  it('passes on the drift of a reconciliation as its own exit code with one line', async () => {
    const drift = new OperatorError('RECONCILIATION_DRIFT', 'MarketA: the provider and the ledger differ', 3);
    const result = await run(
      ['payments', 'reconcile', '--org', 'MarketA', '--from', '2026-11-30', '--to', '2026-12-01'],
      drift,
    );
    expectOneLineError(result, 3, /differ/);
  });

  it('verifies a proof offline by default, against named MSP folders, and compares peers when asked', async () => {
    const offline = await run(['proof', 'verify', 'proof.json']);
    expect(offline.code, offline.err).to.equal(0);
    expect(offline.proofs).to.deep.equal([
      ['proof.json', { ordererMsp: ['OrdererMSP'], as: 'Oversight', json: false }],
    ]);
    const named = await run([
      'proof',
      'verify',
      'proof.json',
      '--msp',
      'MarketAMSP=a/msp',
      'OrdererMSP=o/msp',
      '--compare-peers',
      'MarketA',
      'marketb',
      '--as',
      'marketbmsp',
      '--json',
    ]);
    expect(named.code, named.err).to.equal(0);
    expect(named.proofs[0]?.[1]).to.deep.include({
      msp: ['MarketAMSP=a/msp', 'OrdererMSP=o/msp'],
      comparePeers: ['MarketA', 'marketb'],
      as: 'MarketB',
      json: true,
    });
  });

  it('finds review rings without recording them unless --apply is given', async () => {
    const dry = await run(['review-rings']);
    expect(dry.code, dry.err).to.equal(0);
    const applied = await run(['review-rings', '--apply', '--json']);
    expect(applied.code, applied.err).to.equal(0);
    expect([...dry.reviewRings, ...applied.reviewRings]).to.deep.equal([
      { apply: false, json: false },
      { apply: true, json: true },
    ]);
    expect((await run(['review-rings', '--aply'])).code).to.equal(2);
  });

  it('reports a refused proof as one line with its code', async () => {
    const refused = new OperatorError(
      'PROOF_HASH_CHAIN_BROKEN',
      'PROOF_HASH_CHAIN_BROKEN: block 9 does not link to block 8',
    );
    const result = await run(['proof', 'verify', 'proof.json'], refused);
    expectOneLineError(result, EXIT_RUNTIME, /PROOF_HASH_CHAIN_BROKEN/);
  });
});
