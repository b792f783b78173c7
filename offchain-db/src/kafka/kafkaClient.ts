// The one place a kafkajs client is built: TLS trusting the deployment's CA, then SASL/SCRAM-SHA-512
// as the process's own user. There is no plaintext or anonymous way to the broker.
import { Kafka, logLevel } from 'kafkajs';
import * as fs from 'node:fs';
import type { KafkaConnection } from '../config/offchainConfig';

export function kafkaClient(connection: KafkaConnection, clientId: string, level = logLevel.WARN): Kafka {
  return new Kafka({
    clientId,
    brokers: [...connection.brokers],
    ssl: { ca: [fs.readFileSync(connection.caFile, 'utf8')] },
    sasl: { mechanism: 'scram-sha-512', username: connection.username, password: connection.password },
    logLevel: level,
  });
}
