// Looks up a system account (uid, gid) in /etc/passwd, for processes run as a user other than root.
import * as fs from 'node:fs';

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
