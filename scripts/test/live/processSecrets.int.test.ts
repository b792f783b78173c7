// No process of the running stack carries a generated secret (CA bootstrap and enrollment secrets,
// database, Keycloak and demo passwords) in its arguments, which every user of the machine can read.
import { isRunning, listRecords, stateDir } from '@p2p-escrow/scripts';
import { requireRunningNetwork } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file below `dir` whose name says it holds a secret (or every file of a secrets folder). */
function secretFiles(dir: string, inSecretsFolder = false): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return secretFiles(file, inSecretsFolder || entry.name === 'secrets');
    if (!entry.isFile()) return [];
    return inSecretsFolder || /(^|-)secret$/.test(entry.name) ? [file] : [];
  });
}

function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = fs
      .readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    // The process ended meanwhile.
  }
  return [pid, ...children.flatMap(processTree)];
}

function argumentsOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

describe('secrets stay out of process arguments', function () {
  this.timeout(60_000);

  before(async () => {
    await requireRunningNetwork();
  });

  it('no process of the stack carries a generated secret in its arguments or its process record', () => {
    const secrets = [...secretFiles(path.join(stateDir, 'secrets'), true), ...secretFiles(stateDir)]
      .map((file) => fs.readFileSync(file, 'utf8').trim())
      .filter((secret) => secret.length >= 12);
    expect(secrets.length, 'secrets found under the state directory').to.be.greaterThan(10);
    const records = listRecords().filter(isRunning);
    expect(records.length).to.be.greaterThan(10);
    for (const record of records) {
      const seen = [record.command, ...processTree(record.pid).map(argumentsOf)].join('\n');
      for (const secret of secrets)
        expect(seen.includes(secret), `${record.name} shows a secret in its arguments`).to.equal(false);
    }
  });
});
