import { expect } from 'chai';
import { createPool } from './postgres';

describe('the gateway pool', () => {
  it('survives PostgreSQL dropping an idle connection, telling its listener', async () => {
    const heard: string[] = [];
    const pool = createPool(
      { url: 'postgresql://gateway:secret@127.0.0.1:1/escrow', caFile: '/dev/null' },
      (error) => heard.push(error.message),
    );
    // What pg-pool does when an idle client's server goes away.
    expect(() =>
      pool.emit('error', new Error('terminating connection due to administrator command')),
    ).not.to.throw();
    expect(heard).to.deep.equal(['terminating connection due to administrator command']);
    await pool.end();
  });
});
