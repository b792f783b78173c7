import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The runner keeps its records under the state directory read once at load, so each scenario runs
// in its own node process with P2P_STATE_DIR pointing at a temporary directory.
function runScenario(stateDir: string, body: string): Promise<Record<string, unknown>> {
  const script = `
    const fs = require('node:fs');
    const path = require('node:path');
    const { Runner } = require(${JSON.stringify(path.join(__dirname, 'runner'))});
    const stateDir = ${JSON.stringify(stateDir)};
    const quiet = () => undefined;
    const pidOf = (name) => JSON.parse(fs.readFileSync(path.join(stateDir, 'pids', name + '.json'), 'utf8')).pid;
    const idle = (name, dependsOn = []) => ({
      kind: 'daemon', name, description: name, dependsOn, cwd: stateDir, env: {}, ports: [],
      command: process.execPath, args: ['-e', 'setInterval(() => undefined, 1000)'],
      // Probed by 'true': a node process per probe can outlast the probe's timeout on a loaded machine.
      health: { kind: 'command', command: 'true', args: [] },
      startTimeoutSeconds: 10,
    });
    const result = {};
    (async () => { ${body} })().then(
      () => process.stdout.write(JSON.stringify(result)),
      (error) => { console.error(error); process.exit(1); },
    );`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      { env: { ...process.env, P2P_STATE_DIR: stateDir } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Record<string, unknown>);
      },
    );
  });
}

/** Alive and not a zombie: /proc/<pid>/cmdline is empty once a process has exited. */
function alive(pid: unknown): boolean {
  try {
    return fs.readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

/**
 * A fresh state directory for each test of the suite, removed after it with every daemon whose
 * pid the test handed to `track`.
 */
function scenarioState(): { dir: () => string; track: (pids: unknown[]) => void } {
  let stateDir = '';
  let pids: unknown[] = [];
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  });
  afterEach(() => {
    for (const pid of pids.filter(alive)) process.kill(-Number(pid), 'SIGKILL');
    pids = [];
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
  return { dir: () => stateDir, track: (tracked) => (pids = tracked) };
}

describe('Runner.start when a step fails', () => {
  const state = scenarioState();

  it('stops the daemons it launched, keeps those already running, and names the failed step', async () => {
    const result = await runScenario(
      state.dir(),
      `
      await new Runner([idle('keeper')], quiet).start();
      result.keeperPid = pidOf('keeper');
      // A daemon that would take its whole timeout to fail on its own.
      const slow = {
        ...idle('slow'), startTimeoutSeconds: 60,
        health: { kind: 'command', command: 'false', args: [] },
      };
      const broken = {
        kind: 'task', name: 'broken', description: 'broken', dependsOn: ['early'],
        run: async () => {
          while (!fs.existsSync(path.join(stateDir, 'pids', 'slow.json'))) await new Promise((r) => setTimeout(r, 20));
          result.earlyPid = pidOf('early');
          result.slowPid = pidOf('slow');
          throw new Error('no disk left');
        },
      };
      const runner = new Runner([idle('keeper'), idle('early'), slow, broken, idle('late', ['broken'])], quiet);
      const began = Date.now();
      try {
        await runner.start();
      } catch (error) {
        result.message = error.message;
        result.stopped = error.stopped;
      }
      result.seconds = (Date.now() - began) / 1000;
      result.lateStarted = fs.existsSync(path.join(stateDir, 'pids', 'late.json'));`,
    );
    state.track([result['keeperPid'], result['earlyPid'], result['slowPid']]);
    expect(result['message']).to.match(/^broken: no disk left/);
    expect(result['stopped']).to.have.members(['early', 'slow']);
    expect(alive(result['earlyPid']), 'the daemon this start launched').to.equal(false);
    expect(alive(result['slowPid']), 'the daemon still starting').to.equal(false);
    expect(result['seconds'], 'seconds until the start gave up').to.be.below(10);
    expect(alive(result['keeperPid']), 'the daemon that ran before').to.equal(true);
    expect(result['lateStarted']).to.equal(false);
  });
});

describe('Runner.start when interrupted', () => {
  const state = scenarioState();

  it('stops the daemons it launched and fails naming the interruption', async () => {
    const result = await runScenario(
      state.dir(),
      `
      const slow = { ...idle('slow', ['early']), startTimeoutSeconds: 60, health: { kind: 'command', command: 'false', args: [] } };
      const runner = new Runner([idle('early'), slow], quiet);
      const began = Date.now();
      const started = runner.start().catch((error) => error);
      while (!fs.existsSync(path.join(stateDir, 'pids', 'slow.json'))) await new Promise((r) => setTimeout(r, 20));
      result.earlyPid = pidOf('early');
      result.slowPid = pidOf('slow');
      runner.interrupt('interrupted by SIGINT');
      const error = await started;
      result.message = error.message;
      result.stopped = error.stopped;
      result.seconds = (Date.now() - began) / 1000;`,
    );
    state.track([result['earlyPid'], result['slowPid']]);
    expect(result['message']).to.match(/^start: interrupted by SIGINT/);
    expect(result['stopped']).to.have.members(['early', 'slow']);
    expect(alive(result['earlyPid'])).to.equal(false);
    expect(alive(result['slowPid'])).to.equal(false);
    expect(result['seconds'], 'seconds until the start gave up').to.be.below(10);
  });
});

/** A scenario's opening: daemon `worker` over a setup step (runs counted in `result.setupRuns`) over daemon `base`, started. */
const STARTED_WORKER_OVER_SETUP = `
      result.setupRuns = 0;
      const setup = {
        kind: 'task', name: 'setup', description: 'setup', dependsOn: ['base'],
        run: async () => { result.setupRuns += 1; },
      };
      const runner = new Runner([idle('base'), setup, idle('worker', ['setup'])], quiet);
      await runner.start();`;

describe('Runner.relaunch after a crash', () => {
  const state = scenarioState();

  it('starts the killed daemon again alone: no step below it re-runs, no other daemon is relaunched', async () => {
    const result = await runScenario(
      state.dir(),
      `${STARTED_WORKER_OVER_SETUP}
      result.basePid = pidOf('base');
      result.killedPid = pidOf('worker');
      await runner.kill('worker');
      result.launched = await runner.relaunch(['worker']);
      result.workerPid = pidOf('worker');
      result.basePidAfter = pidOf('base');
      result.workerUp = runner.isUp('worker');
      result.againLaunched = await runner.relaunch(['worker']);`,
    );
    state.track([result['basePid'], result['workerPid']]);
    expect(result['setupRuns'], 'runs of the setup step').to.equal(1);
    expect(result['launched']).to.equal(1);
    expect(result['workerUp']).to.equal(true);
    expect(result['workerPid']).to.not.equal(result['killedPid']);
    expect(result['basePidAfter']).to.equal(result['basePid']);
    expect(result['againLaunched'], 'a healthy daemon is kept').to.equal(0);
  });

  it('refuses, launching nothing, while a daemon it depends on is down', async () => {
    const result = await runScenario(
      state.dir(),
      `
      const setup = { kind: 'task', name: 'setup', description: 'setup', dependsOn: ['base'], run: async () => undefined };
      const runner = new Runner([idle('base'), setup, idle('worker', ['setup'])], quiet);
      await runner.start();
      result.workerPid = pidOf('worker');
      await runner.kill('worker');
      await runner.kill('base');
      try {
        await runner.relaunch(['worker']);
      } catch (error) {
        result.code = error.code;
        result.message = error.message;
      }
      result.workerUp = runner.isUp('worker');`,
    );
    expect(result['code']).to.equal('DEPENDENCY_DOWN');
    expect(result['message']).to.match(/^worker: .*base/);
    expect(result['workerUp']).to.equal(false);
  });

  it('restores a daemon with the steps and daemons below it when one of those is down', async () => {
    const result = await runScenario(
      state.dir(),
      `${STARTED_WORKER_OVER_SETUP}
      await runner.kill('worker');
      await runner.kill('base');
      result.launched = await runner.restore(['worker']);
      result.basePid = pidOf('base');
      result.workerPid = pidOf('worker');`,
    );
    state.track([result['basePid'], result['workerPid']]);
    expect(result['launched']).to.equal(2);
    expect(result['setupRuns'], 'runs of the setup step').to.equal(2);
    expect(alive(result['workerPid'])).to.equal(true);
  });
});
