// The project's own service images are described by Dockerfiles that no machine of the project can
// build (there is no Docker engine), so they are checked by reading: each is multi-stage from the
// pinned Node major, installs production dependencies only, runs as a non-root user, bakes in no
// secret, and keeps the state directory out of its build context. The chart runs exactly these images.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { readVersions, repoRoot } from '@p2p-escrow/scripts';

/** The chart's image key for each of our services, and the Dockerfile that builds it. */
const serviceImages: Record<string, string> = {
  chaincode: 'chaincode/Dockerfile',
  gateway: 'gateway-api/Dockerfile',
  offchain: 'offchain-db/Dockerfile',
};

interface Stage {
  from: string;
  instructions: string[];
}

/** Splits a Dockerfile into its stages, each with its instructions (comments dropped, lines joined). */
function stagesOf(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) stages.push({ from: line, instructions: [] });
    else stages.at(-1)?.instructions.push(line);
  }
  return stages;
}

describe("The service images' Dockerfiles (read, not built)", () => {
  const nodeMajor = readVersions(repoRoot)['NODE_MAJOR'] ?? '?';

  for (const [image, dockerfile] of Object.entries(serviceImages)) {
    describe(dockerfile, () => {
      const text = fs.readFileSync(path.join(repoRoot, dockerfile), 'utf8');
      const stages = stagesOf(text);
      const runtime = stages.at(-1);

      it(`builds in stages from node:${nodeMajor}`, () => {
        expect(stages.length).to.be.greaterThan(1);
        for (const stage of stages) expect(stage.from).to.match(new RegExp(`^FROM node:${nodeMajor}\\b`));
      });

      it('ships production dependencies only, and runs as the unprivileged node user', () => {
        const runs = runtime?.instructions.filter((line) => line.startsWith('RUN ')) ?? [];
        expect(
          runs.some((line) => /npm ci\b.*--omit=dev/.test(line)),
          'npm ci --omit=dev',
        ).to.equal(true);
        const users = runtime?.instructions.filter((line) => line.startsWith('USER ')) ?? [];
        expect(users.at(-1)).to.equal('USER node');
      });

      it('bakes in no secret and copies nothing from the state directory', () => {
        for (const line of stages.flatMap((stage) => stage.instructions)) {
          expect(line, 'a secret set at build time').to.not.match(
            /^(ENV|ARG)\s+\S*(SECRET|PASSWORD|TOKEN|KEY)\b/i,
          );
          expect(line).to.not.match(/\.state\b|PRIVATE KEY/);
        }
        const ignore = fs.readFileSync(path.join(repoRoot, `${dockerfile}.dockerignore`), 'utf8');
        const rules = ignore.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
        expect(rules[0], 'the build context starts from nothing').to.equal('*');
        expect(rules.filter((rule) => rule.includes('.state'))).to.deep.equal([]);
      });

      it(`is the image the chart runs as images.${image}`, () => {
        const values = YAML.parse(
          fs.readFileSync(path.join(repoRoot, 'deploy', 'helm', 'p2p-escrow-org', 'values.yaml'), 'utf8'),
        ) as { images: Record<string, { repository: string }> };
        const repository = values.images[image]?.repository ?? '';
        expect(text, `${dockerfile} names the image it builds`).to.include(`-t ${repository}:`);
      });
    });
  }
});
