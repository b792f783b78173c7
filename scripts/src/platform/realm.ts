// Where the realm Keycloak imports on its first start lives, and its name.
import * as path from 'node:path';
import { repoRoot } from '../env/paths';

export const realmName = 'p2p-escrow';
export const realmFile = path.join(repoRoot, 'network', 'keycloak', `${realmName}-realm.json`);
