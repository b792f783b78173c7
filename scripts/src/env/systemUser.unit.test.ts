import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertReachableBy, type SystemUser } from './systemUser';

describe('assertReachableBy', () => {
  // An account that owns nothing here, so only the "other" permission bits apply to it.
  const stranger: SystemUser = { name: 'stranger', uid: 65_000, gid: 65_000 };
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-'));
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('accepts a directory whose existing parents are searchable by the user', () => {
    fs.chmodSync(root, 0o711);
    expect(() => {
      assertReachableBy(stranger, path.join(root, 'state', 'postgres'));
    }).to.not.throw();
  });

  it('names the parent that the user cannot search', () => {
    fs.chmodSync(root, 0o700);
    expect(() => {
      assertReachableBy(stranger, path.join(root, 'state', 'postgres'));
    }).to.throw(`${root} is not searchable`);
  });
});
