// `npm run example`: the partner integration against the local stack, as MarketA's backend with
// its buyer alice and seller amir. Run it with the local CA trusted (the npm script sets
// NODE_EXTRA_CA_CERTS). Its last line is the outcome as JSON.
import { backendTokens, demoUserToken, localProviderPays, localStack } from './localStack';
import { runPartnerIntegration } from './partnerIntegration';

async function main(): Promise<void> {
  const org = 'MarketA';
  const outcome = await runPartnerIntegration({
    gatewayUrl: localStack.gatewayUrl(org),
    marketplace: org,
    backend: backendTokens(org, 'marketa-backend'),
    buyer: { userId: 'alice', auth: await demoUserToken(org, 'alice') },
    seller: { userId: 'amir', auth: await demoUserToken(org, 'amir') },
    pay: localProviderPays(org),
    log: (line) => {
      console.log(`example: ${line}`);
    },
  });
  console.log(JSON.stringify(outcome));
}

main().catch((error: unknown) => {
  console.error(`example failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
