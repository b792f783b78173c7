// Where the broker listens for clients (SASL_SSL), from the port plan.
import { endpoint, portPlan } from '../env/portPlan';

export const kafkaBootstrap = endpoint(portPlan.kafka.listen);
