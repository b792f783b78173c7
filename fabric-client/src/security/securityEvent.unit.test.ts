import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  readSecurityEvent,
  securityEvent,
  SecurityEventInvalidError,
  securityEventTypes,
  type SecurityEvent,
} from './securityEvent';

const documentFile = path.resolve(__dirname, '..', '..', '..', 'SECURITY-EVENTS.md');

/** The ```json examples of SECURITY-EVENTS.md, each under its `### \`type\`` heading. */
function documentedExamples(): Map<string, unknown> {
  const text = fs.readFileSync(documentFile, 'utf8');
  const examples = new Map<string, unknown>();
  for (const match of text.matchAll(/### `([a-z._]+)`[\s\S]*?```json\n([\s\S]*?)\n```/g)) {
    const [, type = '', json = ''] = match;
    examples.set(type, JSON.parse(json));
  }
  return examples;
}

describe('the security event schema', () => {
  it('reads the example of every type that SECURITY-EVENTS.md documents, and every type has one', () => {
    const examples = documentedExamples();
    expect([...examples.keys()].sort()).to.deep.equal([...securityEventTypes].sort());
    for (const [type, example] of examples) {
      const event = readSecurityEvent(example);
      expect(event.type, type).to.equal(type);
    }
  });

  it('builds an event with a fresh id, the time, the default severity and an unverified actor', () => {
    const event = securityEvent({
      type: 'auth.failed',
      source: 'gateway-marketa',
      ip: '203.0.113.7',
      detail: { code: 'TOKEN_INVALID', method: 'GET', path: '/v1/escrows' },
    });
    expect(event.id).to.match(/^[0-9a-f-]{36}$/);
    expect(event.severity).to.equal('low');
    expect(event.actor).to.deep.equal({ verified: false });
    expect(Date.parse(event.time)).to.be.closeTo(Date.now(), 60_000);
    expect(
      securityEvent({
        type: 'auth.failed',
        source: 'gateway-marketa',
        detail: { code: 'TOKEN_INVALID', method: 'GET', path: '/v1/escrows' },
      }).id,
    ).not.to.equal(event.id);
  });

  it("refuses a detail that is another type's, or carries a field its type does not have", () => {
    const base = documentedExamples().get('auth.failed') as SecurityEvent;
    expect(() => readSecurityEvent({ ...base, type: 'risk.hold' })).to.throw(
      SecurityEventInvalidError,
      /detail/,
    );
    expect(() => readSecurityEvent({ ...base, detail: { ...base.detail, password: 'x' } })).to.throw(
      SecurityEventInvalidError,
    );
  });

  it('refuses an unknown type, severity, envelope field, or an id that is no UUID', () => {
    const base = documentedExamples().get('auth.failed') as Record<string, unknown>;
    for (const broken of [
      { ...base, type: 'auth.guessed' },
      { ...base, severity: 'urgent' },
      { ...base, user: 'alice' },
      { ...base, id: 'not-a-uuid' },
      { ...base, version: 2 },
    ])
      expect(() => readSecurityEvent(broken)).to.throw(SecurityEventInvalidError);
  });

  it('holds a risk hold amount as integer minor units in a string, never a number', () => {
    const hold = documentedExamples().get('risk.hold') as Record<string, unknown> & {
      detail: Record<string, unknown>;
    };
    expect(() => readSecurityEvent({ ...hold, detail: { ...hold.detail, amount: 2500000 } })).to.throw(
      SecurityEventInvalidError,
    );
    expect(() => readSecurityEvent({ ...hold, detail: { ...hold.detail, amount: '25.00' } })).to.throw(
      SecurityEventInvalidError,
    );
  });
});
