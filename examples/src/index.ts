// The examples' face: the partner integration, for tests and for readers who start from code.
export {
  PARTNER_WEBHOOK_TYPES,
  runPartnerIntegration,
  type IntegrationOutcome,
  type PartnerSettings,
  type Party,
  type PaymentCreated,
} from './partnerIntegration';
export { WebhookReceiver } from './webhookReceiver';
