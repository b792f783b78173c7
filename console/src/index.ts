// The console's pure parts (no DOM): what its unit tests and any other reader may use. The page
// itself starts at main.tsx, which Vite bundles; nothing imports it.
export { base64Url, codeChallengeOf, newCodeVerifier } from './auth/pkce';
export { consoleRolesOf, signedInUserOf, type ConsoleRole, type SignedInUser } from './auth/tokenClaims';
export { formatMinorUnits, minorUnitDigits, parseMajorUnits } from './format/money';
export { countByState, timelineOf, type ProofMark, type TimelineRow } from './audit/timeline';
export { markOf, trustOf, verdictOf, type ProofVerdict, type TrustAnchorsView } from './audit/proofMarks';
export { blocksBehind, type HeightsView } from './operator/blocksBehind';
