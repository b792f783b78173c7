import { expect } from 'chai';
import { DatabaseError } from 'pg';
import {
  dependencyFailure,
  portOfUrl,
  unavailableDependency,
  type DependencyEndpoint,
} from './dependencyFailure';

export const ENDPOINTS: readonly DependencyEndpoint[] = [
  { dependency: 'postgres', port: 15432 },
  { dependency: 'redis', port: 16379 },
  { dependency: 'keycloak', port: 18080 },
];

/** A socket error as node reports a refused or reset connection. */
export function socketError(code: string, port?: number): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:${String(port)}`), {
    code,
    syscall: 'connect',
    address: '127.0.0.1',
    ...(port === undefined ? {} : { port }),
  });
}

function databaseError(sqlState: string, message: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = sqlState;
  return error;
}

describe('dependency failures', () => {
  it('names PostgreSQL for a server shutting down, starting, out of slots or gone mid-query', () => {
    const lost = [
      databaseError('57P01', 'terminating connection due to administrator command'),
      databaseError('57P03', 'the database system is starting up'),
      databaseError('53300', 'sorry, too many clients already'),
      databaseError('08006', 'connection failure'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Client has encountered a connection error and is not queryable'),
    ];
    for (const error of lost)
      expect(unavailableDependency(error, ENDPOINTS), error.message).to.equal('postgres');
  });

  it('names the dependency whose port a refused or reset connection dialled', () => {
    expect(unavailableDependency(socketError('ECONNREFUSED', 15432), ENDPOINTS)).to.equal('postgres');
    expect(unavailableDependency(socketError('ECONNRESET', 16379), ENDPOINTS)).to.equal('redis');
    expect(unavailableDependency(socketError('ETIMEDOUT', 18080), ENDPOINTS)).to.equal('keycloak');
  });

  it('leaves alone what is no missing dependency: a refused query, another port, a plain bug', () => {
    const others = [
      databaseError('23505', 'duplicate key value violates unique constraint'),
      databaseError('42501', 'permission denied for table escrows'),
      socketError('ECONNREFUSED', 7054),
      socketError('ECONNREFUSED'),
      socketError('EACCES', 15432),
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      'not an error',
    ];
    for (const error of others)
      expect(unavailableDependency(error, ENDPOINTS), String(error)).to.equal(undefined);
  });

  it('is a 503 DEPENDENCY_UNAVAILABLE naming the dependency', () => {
    const refusal = dependencyFailure(socketError('ECONNREFUSED', 15432), ENDPOINTS);
    expect([
      refusal?.status,
      refusal?.code,
      refusal?.extras['dependency'],
      refusal?.retryAfterSeconds,
    ]).to.deep.equal([503, 'DEPENDENCY_UNAVAILABLE', 'postgres', 5]);
  });

  it('reads the port of each dependency from its URL', () => {
    expect(portOfUrl('postgresql://escrow:secret@127.0.0.1:15432/escrow')).to.equal(15432);
    expect(portOfUrl('redis://gateway:secret@127.0.0.1:16379')).to.equal(16379);
    expect(portOfUrl('https://127.0.0.1:18080/realms/p2p-marketa/protocol/openid-connect/certs')).to.equal(
      18080,
    );
    expect(portOfUrl('postgresql://escrow@db.internal/escrow')).to.equal(5432);
  });
});
