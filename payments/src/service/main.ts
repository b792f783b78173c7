// One marketplace's payments service: receives the provider's webhooks, verifies them, and funds the
// escrows they pay as that marketplace's payments identity (whose key no other service holds).
// Configured by P2P_PAYMENTS_*, P2P_FABRIC_* and P2P_STRIPE_*; serves HTTPS with a certificate of the
// deployment's local CA.
import { prepareServerTls } from '@p2p-escrow/fabric-client';
import { newPool, securityEmitterFromEnvironment } from '@p2p-escrow/offchain-db';
import * as http from 'node:http';
import * as https from 'node:https';
import pino from 'pino';
import { paymentProviderFromEnvironment } from '../index';
import { FabricFundingLedger } from '../funding/fabricFundingLedger';
import { FileProcessedEvents } from '../funding/fileProcessedEvents';
import { FundingMetrics } from '../funding/fundingMetrics';
import { PaymentWebhook } from '../funding/paymentWebhook';
import { PgPartyVerifications } from '../store/pgVerificationStore';
import { VerificationWebhook } from '../verification/verificationWebhook';
import { verificationSalt } from '../verification/verificationStatusHash';
import { readPaymentsServiceConfig } from './paymentsServiceConfig';
import { webhookApp } from './webhookApp';

const log = pino({ name: 'payments' });

function main(): void {
  const config = readPaymentsServiceConfig(process.env);
  const provider = paymentProviderFromEnvironment(process.env, 'payments');
  const ledger = FabricFundingLedger.open(config.fabric);
  const now = () => new Date();
  const webhook = new PaymentWebhook({
    marketplace: config.marketplace,
    provider,
    ledger,
    processed: FileProcessedEvents.open(config.stateDir),
    now,
  });
  const metrics = new FundingMetrics(log.child({ marketplace: config.marketplace }), now);
  // Forged or badly signed provider events also go to the SOC's topic and file.
  const securitySource = `payments-${config.marketplace.toLowerCase()}`;
  const security = securityEmitterFromEnvironment(process.env, securitySource, metrics.registry);
  const pool = newPool(config.database, 4);
  const verification = new VerificationWebhook({
    marketplace: config.marketplace,
    provider,
    ledger,
    verifications: new PgPartyVerifications(pool),
    salt: verificationSalt(config.stateDir),
  });
  const app = webhookApp(webhook, verification, metrics, { emitter: security, source: securitySource });
  const tls =
    config.tlsDir === undefined
      ? undefined
      : prepareServerTls(
          config.tlsDir,
          [...new Set(['localhost', '127.0.0.1', config.host])],
          `payments-${String(config.port)}`,
        );
  const server =
    tls === undefined
      ? http.createServer(app)
      : https.createServer({ cert: tls.certPem, key: tls.keyPem }, app);
  server.listen(config.port, config.host, () => {
    log.info(
      {
        marketplace: config.marketplace,
        url: `${tls === undefined ? 'http' : 'https'}://${config.host}:${String(config.port)}`,
      },
      'payments service listening',
    );
  });
  const stop = () => {
    server.close(() => {
      ledger.close();
      void security.close(2_000);
      void pool.end();
      log.info({}, 'payments service stopped');
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  main();
} catch (error) {
  log.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
