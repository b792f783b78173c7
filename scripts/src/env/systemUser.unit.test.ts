import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assertReachableBy,
  prepareServiceDataDir,
  removeServiceDataDirs,
  serviceDataDir,
  type SystemUser,
} from './systemUser';

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

describe('service data directories', () => {
  const stranger: SystemUser = { name: 'stranger', uid: 65_000, gid: 65_000 };
  let root: string;
  let dataRoot: string;
  let stateDir: string;

  beforeEach(function () {
    // Handing a directory to another user takes root, as npm start does.
    if (process.getuid?.() !== 0) this.skip();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'service-data-'));
    fs.chmodSync(root, 0o755);
    dataRoot = path.join(root, 'var', 'lib', 'p2p-escrow');
    // A clone inside a private folder, as root's home directory is.
    fs.mkdirSync(path.join(root, 'home', 'clone'), { recursive: true });
    fs.chmodSync(path.join(root, 'home'), 0o700);
    stateDir = path.join(root, 'home', 'clone', '.state');
  });

  afterEach(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('gives the user a directory it can reach when the state directory sits in a private folder', () => {
    const dir = prepareServiceDataDir(stranger, stateDir, 'postgres', dataRoot);
    expect(dir.startsWith(dataRoot + path.sep)).to.equal(true);
    expect(() => {
      assertReachableBy(stranger, dir);
    }).to.not.throw();
    expect(fs.statSync(dir).uid).to.equal(stranger.uid);
    expect(fs.statSync(path.dirname(dir)).mode & 0o777).to.equal(0o755);
    expect(fs.realpathSync(path.join(stateDir, 'postgres'))).to.equal(dir);
    expect(fs.statSync(path.join(root, 'home')).mode & 0o777, 'the private folder').to.equal(0o700);
  });

  it('keys the directory by the real path of the state directory, so two clones never share one', () => {
    const other = path.join(root, 'other', '.state');
    fs.symlinkSync(path.join(root, 'home'), path.join(root, 'home-link'));
    const viaLink = path.join(root, 'home-link', 'clone', '.state');
    expect(serviceDataDir(stateDir, 'redis', dataRoot)).to.not.equal(
      serviceDataDir(other, 'redis', dataRoot),
    );
    expect(serviceDataDir(viaLink, 'redis', dataRoot)).to.equal(serviceDataDir(stateDir, 'redis', dataRoot));
  });

  it('moves in the data an earlier start kept in the state directory', () => {
    fs.mkdirSync(path.join(stateDir, 'redis'), { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'redis', 'appendonly.aof'), 'kept');
    const dir = prepareServiceDataDir(stranger, stateDir, 'redis', dataRoot);
    expect(fs.readFileSync(path.join(dir, 'appendonly.aof'), 'utf8')).to.equal('kept');
    expect(fs.lstatSync(path.join(stateDir, 'redis')).isSymbolicLink()).to.equal(true);
  });

  it('starts afresh where a state directory removed by hand left data', () => {
    const dir = prepareServiceDataDir(stranger, stateDir, 'postgres', dataRoot);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '15');
    fs.rmSync(stateDir, { recursive: true });
    prepareServiceDataDir(stranger, stateDir, 'postgres', dataRoot);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it("gives a copied clone its own directory and leaves the original's alone", () => {
    const original = prepareServiceDataDir(stranger, stateDir, 'postgres', dataRoot);
    fs.writeFileSync(path.join(original, 'PG_VERSION'), '15');
    const copy = path.join(root, 'copy', '.state');
    fs.mkdirSync(copy, { recursive: true });
    fs.symlinkSync(original, path.join(copy, 'postgres'));
    const own = prepareServiceDataDir(stranger, copy, 'postgres', dataRoot);
    expect(own).to.not.equal(original);
    expect(fs.realpathSync(path.join(copy, 'postgres'))).to.equal(own);
    expect(fs.readdirSync(original)).to.deep.equal(['PG_VERSION']);
  });

  it('removes the directories of one state directory and leaves the others', () => {
    const other = path.join(root, 'other', '.state');
    const mine = prepareServiceDataDir(stranger, stateDir, 'postgres', dataRoot);
    const theirs = prepareServiceDataDir(stranger, other, 'postgres', dataRoot);
    removeServiceDataDirs(stateDir, dataRoot);
    expect(fs.existsSync(mine)).to.equal(false);
    expect(fs.existsSync(theirs)).to.equal(true);
  });
});
