// Looks up a system account (uid, gid) in /etc/passwd, for processes run as a user other than root.
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
          `(chmod o+x ${current}, or set P2P_STATE_DIR to a directory it can reach)`,
      );
    }
  }
}
