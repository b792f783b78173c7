import { expect } from 'chai';
import type { Request, Response } from 'express';
import { ApiError, RateLimitedError } from './apiError';
import type { DependencyEndpoint } from './dependencyFailure';
import { ENDPOINTS, socketError } from './dependencyFailure.unit.test';
import { fromFrameworkError, problemDetailsMiddleware, toProblem } from './problemDetails';

interface Captured {
  status?: number;
  type?: string;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

function fakeResponse(captured: Captured): Response {
  const response = {
    headersSent: false,
    locals: {},
    setHeader(name: string, value: string) {
      captured.headers[name] = value;
      return response;
    },
    status(code: number) {
      captured.status = code;
      return response;
    },
    type(value: string) {
      captured.type = value;
      return response;
    },
    json(body: Record<string, unknown>) {
      captured.body = body;
      return response;
    },
  };
  return response as unknown as Response;
}

function run(error: unknown, dependencies: readonly DependencyEndpoint[] = []): Captured {
  const captured: Captured = { headers: {} };
  const logged: unknown[] = [];
  const refused: string[] = [];
  const middleware = problemDetailsMiddleware(
    { error: (payload) => logged.push(payload) },
    { refused: (_request, apiError) => refused.push(apiError.code) },
    dependencies,
  );
  middleware(error, { originalUrl: '/v1/escrows/e-1' } as Request, fakeResponse(captured), () => undefined);
  return { ...captured, headers: { ...captured.headers, refused: refused.join(',') } };
}

describe('problem details', () => {
  it('renders an ApiError as RFC 9457 with its stable code', () => {
    const problem = toProblem(
      new ApiError(409, 'INVALID_STATE', 'escrow e-1 is FUNDED'),
      '/v1/escrows/e-1/ship',
    );
    expect(problem).to.deep.equal({
      type: 'https://p2p-escrow.example/problems/invalid-state',
      title: 'Conflict',
      status: 409,
      code: 'INVALID_STATE',
      detail: 'escrow e-1 is FUNDED',
      instance: '/v1/escrows/e-1/ship',
    });
  });

  it('never shows a stack trace or the message of an unexpected error', () => {
    const secret = new Error('connect ECONNREFUSED with password hunter2');
    const captured = run(secret);
    expect(captured.status).to.equal(500);
    expect(captured.type).to.equal('application/problem+json');
    expect(captured.body?.['code']).to.equal('INTERNAL_ERROR');
    expect(JSON.stringify(captured.body)).not.to.match(/hunter2|stack|at /);
  });

  it('answers an unreachable dependency 503 problem+json with Retry-After naming it, not 500', () => {
    const captured = run(socketError('ECONNREFUSED', 15432), ENDPOINTS);
    expect([captured.status, captured.type, captured.headers['Retry-After']]).to.deep.equal([
      503,
      'application/problem+json',
      '5',
    ]);
    expect(captured.body).to.include({ code: 'DEPENDENCY_UNAVAILABLE', dependency: 'postgres' });
  });

  it('sets Retry-After on 429 and audits 401/403', () => {
    expect(run(new RateLimitedError(7, 'user')).headers['Retry-After']).to.equal('7');
    expect(run(new ApiError(403, 'ROLE_REQUIRED', 'no')).headers['refused']).to.equal('ROLE_REQUIRED');
    expect(run(new ApiError(404, 'ESCROW_NOT_FOUND', 'no')).headers['refused']).to.equal('');
  });

  it('maps body-parser and validator errors to their codes', () => {
    expect(fromFrameworkError({ status: 413, type: 'entity.too.large' })?.code).to.equal('PAYLOAD_TOO_LARGE');
    expect(fromFrameworkError({ status: 400, type: 'entity.parse.failed' })?.code).to.equal('MALFORMED_JSON');
    const unknownField = {
      status: 400,
      message: 'request/body must NOT have additional properties',
      errors: [{ path: '/body/extra', message: 'must NOT have additional properties' }],
    };
    expect(fromFrameworkError(unknownField)?.code).to.equal('UNKNOWN_FIELD');
    const badId = { status: 400, errors: [{ path: '/params/escrowId', message: 'must match pattern' }] };
    expect(fromFrameworkError(badId)?.code).to.equal('INVALID_PATH_PARAMETER');
    const missing = {
      status: 400,
      errors: [{ path: '/body/amount', message: "must have required property 'amount'" }],
    };
    expect(fromFrameworkError(missing)?.code).to.equal('INVALID_REQUEST');
    expect(fromFrameworkError({ status: 415 })?.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    expect(fromFrameworkError({ status: 404 })?.code).to.equal('ROUTE_NOT_FOUND');
    expect(fromFrameworkError({ status: 500, message: '.response should have required property' })).to.equal(
      undefined,
    );
  });
});
