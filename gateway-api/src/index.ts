// The gateway's face. Partners, tools and benchmarks use the gateway over HTTP; what they may take
// from the package is its HTTP application, its API description and its error vocabulary. The
// daemon itself starts from main.ts, configured by its P2P_* environment (config/gatewayConfig.ts).
export { createApp, type AppParts } from './app';
export { loadOpenApi, openApiPath } from './openapi/apiDocs';
export { ApiError } from './errors/apiError';
export { toProblem, type ProblemDetails } from './errors/problemDetails';
export { CHAINCODE_CODE_STATUS } from './fabric/ledgerErrors';
export { loadGatewayConfig, type GatewayConfig, type OrgConfig } from './config/gatewayConfig';
