// The peers' external builder for chaincode-as-a-service packages (Fabric's detect/build/release
// contract). It builds nothing: `build` keeps the package's connection.json and `release` completes it
// with this peer's chaincode server address and TLS files from CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG.
import * as fs from 'node:fs';
import * as path from 'node:path';

class BuilderError extends Error {
  readonly code = 'CCAAS_BUILDER_FAILED';
}

interface BuilderConfig {
  chaincodeAddress: string;
  rootCertFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
}

function readJson(file: string): Record<string, unknown> {
  const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BuilderError(`${file} is not a JSON object`);
  return value as Record<string, unknown>;
}

function builderConfig(): BuilderConfig {
  const raw = process.env['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'];
  if (raw === undefined)
    throw new BuilderError('CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG is not set for this peer');
  const value = JSON.parse(raw) as Partial<BuilderConfig>;
  if (typeof value.chaincodeAddress !== 'string')
    throw new BuilderError('builder config has no chaincodeAddress');
  return { ...value, chaincodeAddress: value.chaincodeAddress };
}

/** Replaces {{.key}} placeholders in string values with the builder config's values. */
function fillTemplate(value: unknown, config: BuilderConfig): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{\.(\w+)\}\}/g, (_match, key: string) => {
      const replacement = (config as unknown as Record<string, unknown>)[key];
      if (typeof replacement !== 'string')
        throw new BuilderError(`builder config has no value for {{.${key}}}`);
      return replacement;
    });
  }
  return value;
}

function detect(metadataDir: string): number {
  const metadata = readJson(path.join(metadataDir, 'metadata.json'));
  return typeof metadata['type'] === 'string' && metadata['type'].toLowerCase() === 'ccaas' ? 0 : 1;
}

function build(sourceDir: string, outputDir: string): void {
  const connection = readJson(path.join(sourceDir, 'connection.json'));
  if (typeof connection['address'] !== 'string') throw new BuilderError('connection.json has no address');
  fs.mkdirSync(outputDir, { recursive: true });
  fs.writeFileSync(path.join(outputDir, 'connection.json'), JSON.stringify(connection));
  const metaInf = path.join(sourceDir, 'META-INF');
  if (fs.existsSync(metaInf)) fs.cpSync(metaInf, path.join(outputDir, 'META-INF'), { recursive: true });
}

function release(outputDir: string, releaseDir: string): void {
  const config = builderConfig();
  const template = readJson(path.join(outputDir, 'connection.json'));
  const connection: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) connection[key] = fillTemplate(value, config);
  if (connection['tls_required'] === true) {
    const pem = (file: string | undefined, what: string) => {
      if (file === undefined) throw new BuilderError(`tls_required but the builder config names no ${what}`);
      return fs.readFileSync(file, 'utf8');
    };
    connection['root_cert'] = pem(config.rootCertFile, 'rootCertFile');
    if (connection['client_auth_required'] === true) {
      connection['client_cert'] = pem(config.clientCertFile, 'clientCertFile');
      connection['client_key'] = pem(config.clientKeyFile, 'clientKeyFile');
    }
  }
  const serverDir = path.join(releaseDir, 'chaincode', 'server');
  fs.mkdirSync(serverDir, { recursive: true });
  fs.writeFileSync(path.join(serverDir, 'connection.json'), JSON.stringify(connection), { mode: 0o600 });
  const metaInf = path.join(outputDir, 'META-INF');
  if (fs.existsSync(metaInf)) fs.cpSync(metaInf, path.join(releaseDir, 'statedb'), { recursive: true });
}

function main(argv: string[]): number {
  const [step, first, second, third] = argv;
  switch (step) {
    case 'detect':
      return detect(second ?? '');
    case 'build':
      build(first ?? '', third ?? '');
      return 0;
    case 'release':
      release(first ?? '', second ?? '');
      return 0;
    default:
      throw new BuilderError(`unknown builder step ${String(step)}`);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
