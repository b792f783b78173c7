// The security events of the local deployment: where each service's JSON-lines file is, how a writer
// reaches the security topic (the `security` Kafka user, a writer of that topic only), and the alerting
// service that reads it. The alert webhook's signing secret is generated under the state directory at
// the first start; its URL is a settings file there, re-read at each alert, so an operator or a test
// repoints alerts without a restart.
import * as path from 'node:path';
import { repoRoot, stateDir } from '../env/paths';
import { endpoint, portPlan } from '../env/portPlan';
import { namedSecret, secretsDir } from '../env/stateSecret';
import { alertingGroupId, kafkaAccessTaskName, securityEventsTopic } from '../platform/kafkaAccess';
import { kafkaClientSettings } from '../platform/kafkaUsers';
import type { DaemonSpec } from '../runner/serviceSpec';

export const alertingServiceName = 'alerting';
export const securityEventsDir = path.join(stateDir, 'security');
/** `<state>/security/<service>.jsonl`: one file per writing service, whole lines. */
export function securityEventsFile(service: string): string {
  return path.join(securityEventsDir, `${service}.jsonl`);
}
/** The alert webhook's URL, one line; absent until an operator (or a test) sets it. */
export const alertWebhookUrlFile = path.join(securityEventsDir, 'alert-webhook-url');
export const alertWebhookSecretName = 'alert-webhook-secret';
export const alertWebhookSecretFile = path.join(secretsDir, alertWebhookSecretName);
export const alertRulesFile = path.join(repoRoot, 'deploy', 'alerts', 'security.rules.json');
export const alertingOpsUrl = `http://${endpoint(portPlan.offchain.alertingOps)}`;

/** The alert webhook's signing secret, generated at the first start. */
export function alertWebhookSecret(): string {
  return namedSecret(alertWebhookSecretName);
}

/** The P2P_SECURITY_* settings of a service that emits security events as `service`. */
export function securityEmitterEnv(service: string): Record<string, string> {
  const kafka = kafkaClientSettings('security');
  return {
    P2P_SECURITY_EVENTS_FILE: securityEventsFile(service),
    P2P_SECURITY_EVENTS_TOPIC: securityEventsTopic,
    P2P_SECURITY_KAFKA_BROKERS: kafka.brokers.join(','),
    P2P_SECURITY_KAFKA_CA_FILE: kafka.caFile,
    P2P_SECURITY_KAFKA_USERNAME: kafka.username,
    P2P_SECURITY_KAFKA_PASSWORD: kafka.password,
  };
}

export function alertingEnv(): Record<string, string> {
  alertWebhookSecret();
  const kafka = kafkaClientSettings('alerting');
  return {
    P2P_KAFKA_BROKERS: kafka.brokers.join(','),
    P2P_KAFKA_CA_FILE: kafka.caFile,
    P2P_KAFKA_USERNAME: kafka.username,
    P2P_KAFKA_PASSWORD: kafka.password,
    P2P_SECURITY_EVENTS_TOPIC: securityEventsTopic,
    P2P_ALERTING_GROUP_ID: alertingGroupId,
    P2P_ALERT_RULES_FILE: alertRulesFile,
    P2P_ALERT_WEBHOOK_URL_FILE: alertWebhookUrlFile,
    P2P_ALERT_WEBHOOK_SECRET_FILE: alertWebhookSecretFile,
    P2P_OPS_HOST: portPlan.host,
    P2P_OPS_PORT: String(portPlan.offchain.alertingOps),
  };
}

export function alertingDaemon(): DaemonSpec {
  const offchainDir = path.join(repoRoot, 'offchain-db');
  return {
    kind: 'daemon',
    name: alertingServiceName,
    description: 'security alerting: rules over the security events, signed alerts to the alert webhook',
    dependsOn: [kafkaAccessTaskName],
    command: process.execPath,
    args: [path.join(offchainDir, 'dist', 'alerting', 'main.js')],
    get env() {
      return alertingEnv();
    },
    cwd: offchainDir,
    ports: [portPlan.offchain.alertingOps],
    health: { kind: 'http', url: `${alertingOpsUrl}/healthz` },
    startTimeoutSeconds: 60,
  };
}
