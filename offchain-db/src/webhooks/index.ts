// What partners and other packages use of the webhooks: the signature format and its verifier.
export {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
} from './signature';
export { webhookSecretAad } from './secretBox';
