// Injects one fault of the schedule into the running stack through the runner (the process table it
// keeps, its kill and its relaunch), then heals: the target back, and any daemon that went down with
// it (a dependant that exits when its database goes) relaunched in dependency order. Recovery time is
// from the injection until every daemon runs and the target answers its health check again.
import {
  chaincodeServerName,
  gatewayServiceName,
  keeperServiceName,
  loadRecord,
  mirrorServiceName,
  notifierServiceName,
  ordererOrg,
  outboxRelayServiceName,
  peerOrgs,
  peerServiceName,
  raftLeader,
  kafkaServiceName,
  DependencyDownError,
  type Runner,
} from '@p2p-escrow/scripts';
import type { Fault, FaultKind } from './faultSchedule';

const PLATFORM = { postgres: 'postgres', redis: 'redis', keycloak: 'keycloak' } as const;

/** Daemons whose failures the run counts as the kind's (candidates, one picked by the fault's draw). */
export function candidatesOf(kind: FaultKind): string[] {
  switch (kind) {
    case 'orderer':
      return [...ordererOrg.nodes];
    case 'orderer-leader':
      return []; // resolved at run time: the current Raft leader
    case 'peer':
    case 'pause-peer':
      return peerOrgs.map(peerServiceName);
    case 'chaincode':
      return peerOrgs.map(chaincodeServerName);
    case 'gateway':
      return peerOrgs.map((org) => gatewayServiceName(org.name));
    case 'mirror':
      return [mirrorServiceName];
    case 'outbox-relay':
      return [outboxRelayServiceName];
    case 'notifier':
      return [notifierServiceName];
    case 'keeper':
      return [keeperServiceName];
    case 'postgres':
    case 'pause-database':
      return [PLATFORM.postgres];
    case 'kafka':
      return [kafkaServiceName];
    case 'redis':
      return [PLATFORM.redis];
    case 'keycloak':
      return [PLATFORM.keycloak];
  }
}

export interface InjectedFault {
  readonly index: number;
  readonly kind: FaultKind;
  readonly target: string;
  readonly action: 'kill' | 'pause';
  /** ms from the start of the load. */
  readonly injectedAtMs: number;
  /** From injection until the target is healthy and every daemon runs again; undefined: never. */
  readonly recoveryMs: number | undefined;
  /** Other daemons found down afterwards and relaunched. */
  readonly alsoRelaunched: readonly string[];
  readonly error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Signals a daemon's whole process group (the runner starts each detached, leading its group). */
function signalDaemon(name: string, signal: NodeJS.Signals): void {
  const record = loadRecord(name);
  if (record === undefined) throw new Error(`${name} has no process record`);
  try {
    process.kill(-record.pid, signal);
  } catch {
    process.kill(record.pid, signal);
  }
}

export class FaultInjector {
  constructor(
    private readonly runner: Runner,
    private readonly log: (line: string) => void,
    /** How long healing may take per fault before the fault counts as unrecovered. */
    private readonly healTimeoutMs = 180_000,
  ) {}

  async target(fault: Fault): Promise<string> {
    if (fault.kind === 'orderer-leader') return (await raftLeader()) ?? ordererOrg.nodes[0] ?? 'orderer1';
    const candidates = candidatesOf(fault.kind);
    const target = candidates[Math.min(candidates.length - 1, Math.floor(fault.pick * candidates.length))];
    if (target === undefined) throw new Error(`no daemon for fault kind ${fault.kind}`);
    return target;
  }

  async inject(fault: Fault, sinceStartMs: () => number): Promise<InjectedFault> {
    const target = await this.target(fault);
    this.runner.spec(target); // an unknown name fails here, before anything is signalled
    const action = fault.kind.startsWith('pause-') ? 'pause' : 'kill';
    const injectedAtMs = sinceStartMs();
    const began = performance.now();
    this.log(`fault #${String(fault.index)} ${fault.kind}: ${action} ${target}`);
    try {
      if (action === 'pause') {
        signalDaemon(target, 'SIGSTOP');
        try {
          await sleep(fault.pauseMs);
        } finally {
          signalDaemon(target, 'SIGCONT');
        }
      } else {
        await this.runner.kill(target);
      }
      const alsoRelaunched = await this.heal(target, began + this.healTimeoutMs);
      const recoveryMs = Math.round(performance.now() - began);
      this.log(
        `fault #${String(fault.index)} recovered in ${(recoveryMs / 1000).toFixed(1)}s` +
          (alsoRelaunched.length > 0 ? ` (also relaunched ${alsoRelaunched.join(', ')})` : ''),
      );
      return {
        index: fault.index,
        kind: fault.kind,
        target,
        action,
        injectedAtMs,
        recoveryMs,
        alsoRelaunched,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log(`fault #${String(fault.index)} not recovered: ${message.slice(0, 300)}`);
      return {
        index: fault.index,
        kind: fault.kind,
        target,
        action,
        injectedAtMs,
        recoveryMs: undefined,
        alsoRelaunched: [],
        error: message,
      };
    }
  }

  /**
   * The target back and healthy, and every daemon of the stack running: the ones down are relaunched
   * alone, lowest first (a relaunch refused because what it needs is still down waits for the next
   * pass). Returns the daemons other than the target that had to be relaunched.
   */
  async heal(target: string | undefined, deadline: number): Promise<string[]> {
    const relaunched = new Set<string>();
    const targetSpec = this.runner.daemons().find((daemon) => daemon.name === target);
    for (;;) {
      const down = this.runner.daemons().filter((daemon) => !this.runner.isUp(daemon.name));
      const targetHealthy = targetSpec === undefined || (await this.runner.isHealthy(targetSpec));
      if (down.length === 0 && targetHealthy) return [...relaunched].filter((name) => name !== target);
      if (performance.now() > deadline)
        throw new Error(
          `not healed in time: ${down.length > 0 ? `down ${down.map((d) => d.name).join(', ')}` : `${String(target)} unhealthy`}`,
        );
      for (const daemon of down) {
        try {
          await this.runner.relaunch([daemon.name]);
          relaunched.add(daemon.name);
        } catch (error) {
          if (!(error instanceof DependencyDownError)) this.log(`relaunch ${daemon.name}: ${String(error)}`);
        }
      }
      await sleep(500);
    }
  }
}
