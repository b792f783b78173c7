// endChild on real child processes: one that ends on SIGTERM, one that ignores it (killed after the
// grace), and one already killed by a signal, whose exit has passed: ending it again returns at once
// instead of waiting for an exit that will never come again.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { childHasEnded, childPidsOf, endChild } from './childProcessEnd';

/** A Node child that has started (it prints once it is ready), optionally ignoring SIGTERM. */
async function runningChild(ignoreTerm: boolean): Promise<ChildProcess> {
  const script = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000); console.log('ready');`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => {
    child.stdout.once('data', () => {
      resolve();
    });
  });
  return child;
}

describe('test kit: ending a child process', function () {
  this.timeout(20_000);

  it('ends a child that stops on SIGTERM', async () => {
    const child = await runningChild(false);
    await endChild(child);
    expect(child.signalCode).to.equal('SIGTERM');
    expect(childHasEnded(child)).to.equal(true);
  });

  it('kills a child that ignores SIGTERM once the grace has passed', async () => {
    const child = await runningChild(true);
    await endChild(child, 300);
    expect(child.signalCode).to.equal('SIGKILL');
  });

  it('returns at once for a child already ended by a signal, whose exit code stays null', async () => {
    const child = await runningChild(false);
    await endChild(child);
    expect(child.exitCode).to.equal(null);
    const again = await Promise.race([
      endChild(child).then(() => 'returned'),
      new Promise((resolve) => {
        setTimeout(() => {
          resolve('still waiting');
        }, 2_000);
      }),
    ]);
    expect(again).to.equal('returned');
  });

  it('lists the processes a process started while they run, and none for a process that is gone', async () => {
    const child = await runningChild(false);
    const pid = child.pid ?? 0;
    expect(childPidsOf(process.pid)).to.include(pid);
    expect(childPidsOf(pid)).to.deep.equal([]);
    await endChild(child);
    expect(childPidsOf(process.pid)).not.to.include(pid);
    expect(childPidsOf(pid)).to.deep.equal([]);
  });
});
