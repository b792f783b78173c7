// The README's first request with the SDK: a token for MarketA's backend, an escrow created, read
// back and found in search. Run from the repository root after `npm start`:
//   NODE_EXTRA_CA_CERTS=.state/tls/ca/ca.pem node examples/dist/quickstart.js
import {
  ClientCredentialsTokens,
  committed,
  createGatewayClient,
  searchEscrows,
  unwrap,
} from '@p2p-escrow/client';
import * as fs from 'node:fs';

async function quickstart(): Promise<void> {
  const gateway = createGatewayClient({
    baseUrl: 'https://127.0.0.1:18000',
    auth: new ClientCredentialsTokens({
      tokenUrl: 'https://127.0.0.1:18080/realms/p2p-marketa/protocol/openid-connect/token',
      clientId: 'marketa-backend',
      clientSecret: fs.readFileSync('.state/secrets/keycloak-marketa-backend-secret', 'utf8').trim(),
    }),
  });
  const escrowId = `first-${Date.now()}`;
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const created = committed(
    await gateway.POST('/v1/escrows', {
      body: {
        escrowId,
        buyer: { marketplace: 'MarketA', userId: 'alice' },
        seller: { marketplace: 'MarketB', userId: 'bea' },
        currency: 'EUR',
        feeBps: 250,
        items: [{ description: 'Camera', price: '12000' }],
        fundBy: inDays(7),
        shipBy: inDays(14),
        inspectionPeriodSeconds: 3600,
      },
    }),
  );
  console.log('created', created.escrow.escrowId, created.escrow.state, 'in block', created.blockNumber);
  const read = unwrap(await gateway.GET('/v1/escrows/{escrowId}', { params: { path: { escrowId } } }));
  console.log('read back', read.escrowId, read.state);
  // Search reads the projection, which trails the ledger by the mirror's lag.
  for await (const escrow of searchEscrows(gateway, {
    party: { marketplace: 'MarketA', userId: 'alice' },
    q: 'Camera',
  }))
    if (escrow.escrowId === escrowId) console.log('found in search', escrow.escrowId);
}

quickstart().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
