// `npm run generate -w client`: writes the SDK's types from the gateway's OpenAPI document.
import { loadOpenApi } from '@p2p-escrow/gateway-api';
import * as fs from 'node:fs';
import { gatewayTypesSource, generatedTypesPath } from './gatewayTypes';

async function main(): Promise<void> {
  fs.writeFileSync(generatedTypesPath, await gatewayTypesSource(loadOpenApi()));
  console.log(`wrote ${generatedTypesPath}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
