// Restarts always work: `npm stop` then `npm start` on the kept state directory, P2P_RESTART_CYCLES
// times in a row (default 20; `npm run test:restarts`), as a user runs them. Every start must succeed
// and end with the ledger and the projections where they were: the same height on every peer and
// orderer, each mirror's checkpoint at that height, the same escrow and transition rows. Logs each
// cycle's seconds and heights.
import {
  localFetch,
  operationsClientIdentity,
  peerOrgs,
  portPlan,
  portsOf,
  repoRoot,
} from '@p2p-escrow/scripts';
import { checkpointOf, eventually, orgProjectionPool, projectionPool } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { Pool } from 'pg';

const CYCLES = Number(process.env['P2P_RESTART_CYCLES'] ?? '20');
const CHANNEL_HEIGHT = /^ledger_blockchain_height\{channel="([^"]+)"\} (\d+)$/m;

/** Runs `npm <script>` as a user would, failing with its output's tail when it exits non-zero. */
function npm(script: 'start' | 'stop'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [`scripts/${script}.sh`], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`npm ${script} exited with ${String(code)}:\n${output}`));
    });
  });
}

/** A Fabric node's channel height, from its operations endpoint's metrics. */
async function heightAt(operationsPort: number): Promise<number> {
  const response = await localFetch(`https://${portPlan.host}:${operationsPort}/metrics`, {
    clientIdentity: operationsClientIdentity,
    signal: AbortSignal.timeout(10_000),
  });
  const height = CHANNEL_HEIGHT.exec(await response.text())?.[2];
  if (height === undefined) throw new Error(`no channel height at operations port ${operationsPort}`);
  return Number(height);
}

interface Picture {
  /** Height by node: every peer and orderer. */
  readonly heights: Record<string, number>;
  /** By projection: its checkpoint, escrow rows and transition rows. */
  readonly projections: Record<string, string>;
}

async function projectionOf(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ escrows: string; transitions: string }>(
    'SELECT (SELECT count(*) FROM escrows) AS escrows, (SELECT count(*) FROM transitions) AS transitions',
  );
  const counts = rows[0];
  return `checkpoint ${String(await checkpointOf(pool))}, ${counts?.escrows ?? '?'} escrows, ${counts?.transitions ?? '?'} transitions`;
}

async function picture(): Promise<Picture> {
  const nodes = [
    ...peerOrgs.map(
      (org) => [`peer-${org.name.toLowerCase()}`, portsOf(portPlan.peer, org.name).operations] as const,
    ),
    ...Object.entries(portPlan.orderer).map(([node, ports]) => [node, ports.operations] as const),
  ];
  const heights = Object.fromEntries(
    await Promise.all(nodes.map(async ([name, port]) => [name, await heightAt(port)] as const)),
  );
  const pools: [string, Pool][] = [
    ['auditor', projectionPool()],
    ...peerOrgs
      .filter((org) => org.name !== 'Oversight')
      .map((org): [string, Pool] => [org.name, orgProjectionPool(org.name)]),
  ];
  try {
    const projections = Object.fromEntries(
      await Promise.all(pools.map(async ([name, pool]) => [name, await projectionOf(pool)] as const)),
    );
    return { heights, projections };
  } finally {
    await Promise.all(pools.map(([, pool]) => pool.end()));
  }
}

/** The picture once every node agrees on the height and every mirror has applied it (bounded). */
function settledPicture(): Promise<Picture> {
  return eventually(
    'every node at one height and every mirror at it',
    async () => {
      const seen = await picture();
      const heights = new Set(Object.values(seen.heights));
      const top = Math.max(...heights);
      const mirrored = Object.values(seen.projections).every((line) =>
        line.startsWith(`checkpoint ${top - 1},`),
      );
      return heights.size === 1 && mirrored ? seen : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 1_000 },
  );
}

describe(`the stack restarted ${CYCLES} times on its kept state`, function () {
  this.timeout(CYCLES * 900_000 + 600_000);

  it('starts every time and keeps the ledger height and the projections', async () => {
    const first = await settledPicture();
    console.log(`      before: ${JSON.stringify(first)}`);
    const seconds: number[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const began = Date.now();
      await npm('stop');
      const stopped = Date.now();
      await npm('start');
      const started = Date.now();
      const now = await settledPicture();
      seconds.push((started - began) / 1000);
      console.log(
        `      cycle ${cycle}/${CYCLES}: stop ${((stopped - began) / 1000).toFixed(1)} s, start ${((started - stopped) / 1000).toFixed(1)} s, height ${String(now.heights['orderer1'])}, ${JSON.stringify(now.projections)}`,
      );
      expect(now, `cycle ${cycle}`).to.deep.equal(first);
    }
    const mean = seconds.reduce((sum, each) => sum + each, 0) / seconds.length;
    console.log(
      `      ${CYCLES} cycles: stop + start ${Math.min(...seconds).toFixed(1)}-${Math.max(...seconds).toFixed(1)} s, mean ${mean.toFixed(1)} s`,
    );
  });
});
