// Looks up a system account (uid, gid) in /etc/passwd, for processes run as a user other than root,
// and gives such a process a data directory it can reach wherever the clone is.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

export function systemUser(name: string): SystemUser {
  for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  throw new Error(`no system user ${name} (install its apt package: scripts/install/prerequisites.sh)`);
}

/** Fails clearly when `user` cannot reach `dir` (e.g. a clone under a home directory with mode 0700). */
export function assertReachableBy(user: SystemUser, dir: string): void {
  for (let current = path.dirname(dir); current !== path.dirname(current); current = path.dirname(current)) {
    // Folders still to be created get the runner's default mode (0755).
    if (!fs.existsSync(current)) continue;
    const { mode, uid, gid } = fs.statSync(current);
    const bits = uid === user.uid ? mode >> 6 : gid === user.gid ? mode >> 3 : mode;
    if ((bits & 0o1) === 0) {
      throw new Error(
        `${dir} is unreachable for the ${user.name} user: ${current} is not searchable by it ` +
          `(set P2P_SERVICE_DATA_DIR to a directory it can reach)`,
      );
    }
  }
}

/** Where system users' services keep their data; the same default as scripts/lib/common.sh. */
export const serviceDataRoot = process.env['P2P_SERVICE_DATA_DIR'] ?? '/var/lib/p2p-escrow';

/**
 * The data directory of service `name` (PostgreSQL's cluster, Redis's files) for one state
 * directory. It lies outside the state directory, which may sit in a folder only its owner can
 * enter (root's home has mode 0700), under a hash of the state directory's real path, so that
 * two clones never share one.
 */
export function serviceDataDir(stateDir: string, name: string, root = serviceDataRoot): string {
  return path.join(stateDataDir(stateDir, root), name);
}

function stateDataDir(stateDir: string, root: string): string {
  return path.join(root, createHash('sha256').update(realPath(stateDir)).digest('hex').slice(0, 16));
}

/** The real path of `dir`, which may not exist yet. */
function realPath(dir: string): string {
  const absolute = path.resolve(dir);
  try {
    return fs.realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPath(parent), path.basename(absolute));
  }
}

/**
 * Creates `serviceDataDir(...)` owned by `user` (its parents mode 0755) and links `<stateDir>/<name>`
 * to it: that link is what ties the data to the state directory, so data found without it is of a
 * state directory removed since, and is dropped. What an earlier start kept at `<stateDir>/<name>`
 * itself is moved in. Returns the directory.
 */
export function prepareServiceDataDir(
  user: SystemUser,
  stateDir: string,
  name: string,
  root = serviceDataRoot,
): string {
  const dir = serviceDataDir(stateDir, name, root);
  makeSearchable(path.dirname(dir));
  fs.writeFileSync(path.join(path.dirname(dir), 'state-dir'), `${realPath(stateDir)}\n`);
  assertReachableBy(user, dir);
  const link = path.join(stateDir, name);
  const existing = fs.lstatSync(link, { throwIfNoEntry: false });
  if (readLink(link) !== dir) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (existing?.isDirectory() === true) execFileSync('mv', ['-T', link, dir]);
    // A link to another directory came with a copied clone: only the link goes.
    else if (existing !== undefined) fs.rmSync(link);
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.chownSync(dir, user.uid, user.gid);
  fs.chmodSync(dir, 0o700);
  fs.mkdirSync(stateDir, { recursive: true });
  if (readLink(link) !== dir) fs.symlinkSync(dir, link);
  return dir;
}

/** Removes the service data directories of `stateDir` (npm stop -- --clean); returns their parent. */
export function removeServiceDataDirs(stateDir: string, root = serviceDataRoot): string {
  const dir = stateDataDir(stateDir, root);
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** Creates `dir` and its missing parents with mode 0755, whatever the umask. */
function makeSearchable(dir: string): void {
  if (fs.existsSync(dir)) return;
  makeSearchable(path.dirname(dir));
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o755);
}

function readLink(link: string): string | undefined {
  try {
    return fs.readlinkSync(link);
  } catch {
    return undefined;
  }
}
