// Redis's trust boundary: nobody works without signing in, the passwordless `default` user is off,
// and each ACL user is refused outside the commands and key patterns its job needs.
import { requireRunningNetwork, redisCommand } from '@p2p-escrow/testkit';
import { expect } from 'chai';
import * as crypto from 'node:crypto';

describe('Redis: one ACL user per service, the default user off', function () {
  this.timeout(60_000);
  const probeKey = `gateway:rl:probe:${crypto.randomBytes(4).toString('hex')}`;

  before(async () => {
    await requireRunningNetwork();
  });

  it('refuses a client that did not authenticate', async () => {
    const reply = await redisCommand('unauthenticated', 'GET', probeKey);
    expect(reply.isError, reply.text).to.equal(true);
    expect(reply.text).to.match(/NOAUTH/);
  });

  it('refuses the default user, whatever its password', async () => {
    for (const password of ['', 'nopass', 'default']) {
      const reply = await redisCommand({ user: 'default', password }, 'PING');
      expect(reply.isError, reply.text).to.equal(true);
      expect(reply.text).to.match(/WRONGPASS|AUTH failed|NOAUTH/);
    }
  });

  it('lets the gateway count under its rate-limit prefix', async () => {
    expect((await redisCommand({ user: 'gateway' }, 'SET', probeKey, '0', 'EX', '30', 'NX')).text).to.equal(
      'OK',
    );
    expect((await redisCommand({ user: 'gateway' }, 'INCRBY', probeKey, '2')).text).to.equal('2');
    expect((await redisCommand({ user: 'gateway' }, 'DEL', probeKey)).text).to.equal('1');
  });

  it('refuses the gateway any other key and any command outside its job', async () => {
    const refused = [
      ['GET', 'keeper:state'],
      ['SET', 'session:alice', 'x'],
      ['KEYS', '*'],
      ['FLUSHALL'],
      ['CONFIG', 'GET', 'requirepass'],
      ['ACL', 'LIST'],
      ['HSET', probeKey, 'field', 'x'],
    ];
    for (const command of refused) {
      const reply = await redisCommand({ user: 'gateway' }, ...command);
      expect(reply.isError, `${command.join(' ')}: ${reply.text}`).to.equal(true);
      expect(reply.text, command.join(' ')).to.match(/NOPERM/);
    }
  });
});
