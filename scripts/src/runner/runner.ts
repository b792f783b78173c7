// Starts the service list in dependency order (independent entries in parallel), waits for each
// daemon's health, and stops exactly the processes it recorded.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { logsDir } from '../env/paths';
import { systemUser } from '../env/systemUser';
import { describeDaemonHealth, probeDaemon, waitUntil } from './health';
import { endProcess, isRunning, loadRecord, saveRecord } from './processTable';
import type { DaemonSpec, ServiceSpec } from './serviceSpec';

export class ServiceStartError extends Error {
  readonly code = 'SERVICE_START_FAILED';
  constructor(
    readonly service: string,
    reason: string,
    readonly logTail: string,
  ) {
    super(`${service}: ${reason}${logTail ? `\n--- last lines of its log ---\n${logTail}` : ''}`);
    this.name = 'ServiceStartError';
  }
}

/** A start that failed: the step that failed, and the daemons the start launched and stopped again. */
export class StartFailedError extends Error {
  readonly code = 'START_FAILED';
  constructor(
    readonly failure: ServiceStartError,
    readonly stopped: string[],
  ) {
    super(failure.message);
    this.name = 'StartFailedError';
  }
}

/** A relaunch refused: a daemon the named ones depend on is not running (a full start is needed). */
export class DependencyDownError extends Error {
  readonly code = 'DEPENDENCY_DOWN';
  constructor(
    readonly services: readonly string[],
    readonly down: readonly string[],
  ) {
    super(
      `${services.join(', ')}: depends on ${down.join(', ')}, which is not running: start the stack instead`,
    );
    this.name = 'DependencyDownError';
  }
}

export type Progress = (message: string) => void;

/** One call of start: the daemons it launched so far, and the first step that failed. */
interface StartAttempt {
  launched: string[];
  failure?: ServiceStartError;
}

export const consoleProgress: Progress = (() => {
  const startedAt = Date.now();
  return (message: string) => {
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
    console.log(`[${seconds}s] ${message}`);
  };
})();

export class Runner {
  private readonly byName: Map<string, ServiceSpec>;
  /** The starts under way, so an interrupt can give them up. */
  private readonly attempts = new Set<StartAttempt>();

  constructor(
    readonly services: ServiceSpec[],
    private readonly progress: Progress = consoleProgress,
  ) {
    this.byName = new Map(services.map((service) => [service.name, service]));
    for (const service of services) {
      for (const dependency of service.dependsOn) {
        if (!this.byName.has(dependency))
          throw new Error(`${service.name} depends on unknown service ${dependency}`);
      }
    }
  }

  spec(name: string): ServiceSpec {
    const service = this.byName.get(name);
    if (service === undefined) throw new Error(`no service named ${name}`);
    return service;
  }

  daemons(): DaemonSpec[] {
    return this.services.filter((service): service is DaemonSpec => service.kind === 'daemon');
  }

  /**
   * Starts the named services (default: all) and everything they depend on; healthy daemons are
   * kept and idempotent tasks re-run. Returns how many daemons had to be launched. When a step
   * fails, nothing new starts, daemons still starting are given up, and the daemons this call
   * launched are stopped again (those that were already running are left alone): a
   * StartFailedError names the step and what was stopped.
   */
  async start(names: string[] = this.services.map((service) => service.name)): Promise<number> {
    const attempt: StartAttempt = { launched: [] };
    this.attempts.add(attempt);
    const started = new Map<string, Promise<void>>();
    const startOne = (name: string): Promise<void> => {
      let promise = started.get(name);
      if (promise === undefined) {
        const service = this.spec(name);
        promise = Promise.all(service.dependsOn.map(startOne)).then(async () => {
          // After a failure nothing new starts: it would only be stopped again.
          if (attempt.failure !== undefined) return;
          try {
            await this.bringUp(service, attempt);
          } catch (error) {
            attempt.failure ??= asServiceStartError(name, error);
          }
        });
        started.set(name, promise);
      }
      return promise;
    };
    await Promise.all(names.map(startOne));
    this.attempts.delete(attempt);
    return this.outcome(attempt);
  }

  /**
   * Gives up the starts under way as a failed step would (a user's Ctrl-C, a supervisor's SIGTERM):
   * nothing new starts, daemons still starting are given up, and each start stops what it launched
   * once the steps running now return, then fails naming `reason`.
   */
  interrupt(reason: string): void {
    for (const attempt of this.attempts) attempt.failure ??= new ServiceStartError('start', reason, '');
  }

  /**
   * Starts the named daemons again after a crash or a stop, alone: everything below them kept
   * running, so no setup step re-runs and no other daemon is probed or relaunched (`start` re-runs
   * every task under them, the migrations and the chaincode deployment among them). A healthy daemon
   * is kept. Refuses, launching nothing, while a daemon they depend on is not running. Returns how
   * many daemons it launched.
   */
  async relaunch(names: string[]): Promise<number> {
    const daemons = names.map((name) => {
      const service = this.spec(name);
      if (service.kind !== 'daemon') throw new Error(`${name} is a setup task, not a daemon`);
      return service;
    });
    const down = this.daemonsBelow(names).filter((name) => !this.isUp(name));
    if (down.length > 0) throw new DependencyDownError(names, down);
    const attempt: StartAttempt = { launched: [] };
    await Promise.all(
      daemons.map(async (daemon) => {
        try {
          await this.bringUp(daemon, attempt);
        } catch (error) {
          attempt.failure ??= asServiceStartError(daemon.name, error);
        }
      }),
    );
    return this.outcome(attempt);
  }

  /**
   * The named daemons up again: relaunched alone while what they depend on runs, else started with
   * every step below them. Returns how many daemons it launched.
   */
  async restore(names: string[]): Promise<number> {
    try {
      return await this.relaunch(names);
    } catch (error) {
      if (!(error instanceof DependencyDownError)) throw error;
      return this.start(names);
    }
  }

  /** Stops the named daemons (default: all), dependents first. */
  async stop(names: string[] = this.daemons().map((daemon) => daemon.name)): Promise<void> {
    const order = this.topologicalOrder().reverse();
    const waves = new Map<number, string[]>();
    // Daemons at the same depth stop together; a daemon stops only after everything that depends on it.
    const depth = this.depths();
    for (const name of order.filter((candidate) => names.includes(candidate))) {
      const level = depth.get(name) ?? 0;
      waves.set(level, [...(waves.get(level) ?? []), name]);
    }
    for (const level of [...waves.keys()].sort((a, b) => b - a)) {
      await Promise.all(
        (waves.get(level) ?? []).map(async (name) => {
          const record = loadRecord(name);
          if (record === undefined) return;
          const wasRunning = isRunning(record);
          await endProcess(record, undefined, this.stopSignalOf(name));
          if (wasRunning) this.progress(`${name.padEnd(22)} stopped (pid ${record.pid})`);
        }),
      );
    }
  }

  /** Ends a daemon abruptly (SIGKILL), as a crash would; fault tests use it. */
  async kill(name: string): Promise<void> {
    const record = loadRecord(name);
    if (record !== undefined) await endProcess(record, 0, 'SIGKILL');
  }

  isUp(name: string): boolean {
    const record = loadRecord(name);
    return record !== undefined && isRunning(record);
  }

  async isHealthy(daemon: DaemonSpec): Promise<boolean> {
    return this.isUp(daemon.name) && (await probeDaemon(daemon));
  }

  private stopSignalOf(name: string): NodeJS.Signals | undefined {
    const service = this.spec(name);
    return service.kind === 'daemon' ? service.stopSignal : undefined;
  }

  private async bringUp(service: ServiceSpec, attempt: StartAttempt): Promise<void> {
    if (service.kind === 'task') {
      const began = Date.now();
      try {
        await service.run();
      } catch (error) {
        throw asServiceStartError(service.name, error);
      }
      this.progress(`${service.name.padEnd(22)} done (${((Date.now() - began) / 1000).toFixed(1)}s)`);
      return;
    }
    const fingerprintUnchanged = loadRecord(service.name)?.fingerprint === service.fingerprint?.();
    if (this.isUp(service.name) && fingerprintUnchanged && (await probeDaemon(service))) {
      this.progress(
        `${service.name.padEnd(22)} already running (pid ${String(loadRecord(service.name)?.pid)})`,
      );
      return;
    }
    await this.launch(service, attempt);
  }

  private async launch(daemon: DaemonSpec, attempt: StartAttempt): Promise<void> {
    const stale = loadRecord(daemon.name);
    if (stale !== undefined) await endProcess(stale, undefined, daemon.stopSignal);
    await daemon.prepare?.();
    fs.mkdirSync(logsDir, { recursive: true });
    const logPath = path.join(logsDir, `${daemon.name}.log`);
    const log = fs.openSync(logPath, 'a');
    const user = daemon.user === undefined ? undefined : systemUser(daemon.user);
    const child = spawn(daemon.command, daemon.args, {
      cwd: daemon.cwd,
      uid: user?.uid,
      gid: user?.gid,
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: process.env['HOME'] ?? '/root',
        ...daemon.env,
      },
      detached: true,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const pid = child.pid;
    if (pid === undefined)
      throw new ServiceStartError(daemon.name, `could not start ${daemon.command}`, tail(logPath));
    const exit: { code: number | null } = { code: null };
    child.on('exit', (code, signal) => {
      exit.code = code ?? (signal === null ? -1 : 128);
    });
    child.unref();
    const record = {
      name: daemon.name,
      pid,
      command: daemon.command,
      startedAt: new Date().toISOString(),
      log: logPath,
      fingerprint: daemon.fingerprint?.(),
    };
    saveRecord(record);
    attempt.launched.push(daemon.name);
    const began = Date.now();
    const healthy = await waitUntil(
      () => probeDaemon(daemon),
      daemon.startTimeoutSeconds * 1000,
      () => exit.code === null && attempt.failure === undefined,
    );
    if (!healthy) {
      const reason =
        exit.code !== null
          ? `exited with code ${String(exit.code)} before becoming healthy`
          : attempt.failure !== undefined
            ? 'given up: another step failed'
            : `not healthy after ${daemon.startTimeoutSeconds}s (${describe(daemon)})`;
      await endProcess(record, undefined, daemon.stopSignal);
      throw new ServiceStartError(daemon.name, reason, tail(logPath));
    }
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    this.progress(`${daemon.name.padEnd(22)} healthy in ${seconds}s (pid ${pid}, ${describe(daemon)})`);
  }

  /** How many daemons the attempt launched; after a failure, stops them again and throws it. */
  private async outcome(attempt: StartAttempt): Promise<number> {
    if (attempt.failure !== undefined) {
      await this.stop(attempt.launched);
      throw new StartFailedError(attempt.failure, attempt.launched);
    }
    return attempt.launched.length;
  }

  /** The daemons the named services depend on, directly or through tasks and other daemons. */
  private daemonsBelow(names: readonly string[]): string[] {
    const below = new Set<string>();
    const visit = (name: string) => {
      for (const dependency of this.spec(name).dependsOn) {
        if (below.has(dependency)) continue;
        below.add(dependency);
        visit(dependency);
      }
    };
    names.forEach(visit);
    return [...below].filter((name) => this.spec(name).kind === 'daemon');
  }

  private topologicalOrder(): string[] {
    const order: string[] = [];
    const visit = (name: string, seen: Set<string>) => {
      if (order.includes(name)) return;
      if (seen.has(name)) throw new Error(`dependency cycle through ${name}`);
      seen.add(name);
      for (const dependency of this.spec(name).dependsOn) visit(dependency, seen);
      order.push(name);
    };
    for (const service of this.services) visit(service.name, new Set());
    return order;
  }

  private depths(): Map<string, number> {
    const depth = new Map<string, number>();
    for (const name of this.topologicalOrder()) {
      const deps = this.spec(name).dependsOn.map((dependency) => depth.get(dependency) ?? 0);
      depth.set(name, deps.length === 0 ? 0 : Math.max(...deps) + 1);
    }
    return depth;
  }
}

function asServiceStartError(service: string, error: unknown): ServiceStartError {
  if (error instanceof ServiceStartError) return error;
  return new ServiceStartError(service, error instanceof Error ? error.message : String(error), '');
}

function describe(daemon: DaemonSpec): string {
  return describeDaemonHealth(daemon);
}

export function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
