// Reads an org's public MSP material from its MSP folder (Fabric's layout: `cacerts/`,
// `intermediatecerts/`), the only files a verifier needs from each org.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { organizationMaterial, type OrganizationMaterial } from '@p2p-escrow/proof-verifier';

function pemsIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
}

export function organizationMaterialFromMsp(mspDir: string): OrganizationMaterial {
  const roots = pemsIn(path.join(mspDir, 'cacerts'));
  if (roots.length === 0) throw new Error(`${mspDir} holds no CA certificate in cacerts/`);
  return organizationMaterial(roots, pemsIn(path.join(mspDir, 'intermediatecerts')));
}
