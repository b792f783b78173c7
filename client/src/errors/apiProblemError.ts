// The gateway's refusals are RFC 9457 problem details with a stable `code`; this error carries one
// to callers that prefer exceptions to openapi-fetch's `{ data, error }` results.
import { ClientError } from './clientError';

export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly code?: string;
  readonly [extension: string]: unknown;
}

export class ApiProblemError extends ClientError {
  /** The gateway's stable code (e.g. `ESCROW_NOT_FOUND`), or `HTTP_<status>` for a body without one. */
  readonly problemCode: string;

  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    const problemCode = typeof problem.code === 'string' ? problem.code : `HTTP_${status}`;
    super(
      'API_PROBLEM',
      `${status} ${problemCode}${problem.detail === undefined ? '' : `: ${problem.detail}`}`,
    );
    this.name = 'ApiProblemError';
    this.problemCode = problemCode;
  }
}

function asProblem(error: unknown): Problem {
  return typeof error === 'object' && error !== null ? (error as Problem) : { detail: String(error) };
}

/** The data of an openapi-fetch result, or an ApiProblemError carrying the gateway's problem. */
export function unwrap<Data>(result: {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}): Data {
  if (result.response.ok && result.data !== undefined) return result.data;
  throw new ApiProblemError(result.response.status, asProblem(result.error));
}
