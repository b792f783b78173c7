// Tells a Fabric CA that could not be reached (refused, reset, silent past the client's timeout, or
// answering 5xx with no body) from one that answered and refused. fabric-ca-client reports both as
// plain Errors: a socket failure copies the socket error's code onto its own, a timeout and an
// empty 5xx only say so in the message. An unreachable CA is 503 DEPENDENCY_UNAVAILABLE, so the
// caller retries instead of reading a 500 as a bug; a refusal stays what it is.
import { DependencyUnavailableError, SOCKET_FAILURES } from '../errors/dependencyFailure';

const UNREACHABLE_MESSAGES = [
  /endpoint failed, (CONNECTION|READ) Timeout$/,
  /^fabric-ca request \S+ failed with HTTP status code 5\d\d$/,
];

/** Whether `error`, thrown by a fabric-ca-client call, says the CA could not be reached. */
export function isCaUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && SOCKET_FAILURES.has(code)) return true;
  return UNREACHABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** `error` as 503 naming the Fabric CA when it says the CA was unreachable; otherwise `error`. */
export function caFailure(error: unknown): unknown {
  return isCaUnreachable(error) ? new DependencyUnavailableError('fabric-ca') : error;
}
