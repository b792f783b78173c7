// Keeps what a live proof test fetched, as the verifier's unit tests take it: the bundle and every
// org's public CA certificates (no key), under test-output/proofs/<name>/ of the repository.
import { localMspFolders, repoRoot } from '@p2p-escrow/scripts';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function captureProof(name: string, bundle: unknown): string {
  const dir = path.join(repoRoot, 'test-output', 'proofs', name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const { mspId, dir: mspDir } of localMspFolders()) {
    const cacerts = path.join(mspDir, 'cacerts');
    const into = path.join(dir, 'msp', mspId, 'cacerts');
    fs.mkdirSync(into, { recursive: true });
    for (const file of fs.readdirSync(cacerts).filter((entry) => entry.endsWith('.pem')))
      fs.copyFileSync(path.join(cacerts, file), path.join(into, file));
  }
  fs.writeFileSync(path.join(dir, 'proof.json'), `${JSON.stringify(bundle, null, 2)}\n`);
  return dir;
}
