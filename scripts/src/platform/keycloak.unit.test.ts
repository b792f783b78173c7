import { expect } from 'chai';
import { keycloakHomeDir, stateDir } from '../env/paths';
import { serviceDataDir } from '../env/systemUser';
import { keycloakDaemon, realmImportDir, realmImportJavaOptions } from './keycloak';

describe('the Keycloak daemon', () => {
  it("imports the realm from its own state's folder, never the shared build's data/import", () => {
    // --import-realm would point Keycloak at <build>/data/import, which every clone overwrites.
    expect(keycloakDaemon().args).to.not.include('--import-realm');
    expect(realmImportDir).to.equal(serviceDataDir(stateDir, 'keycloak-import'));
    expect(realmImportDir.startsWith(keycloakHomeDir)).to.equal(false);
    // kc.sh splits JAVA_OPTS_APPEND on spaces: one option, one word.
    expect(realmImportJavaOptions.split(' ')).to.deep.equal([`-Dkeycloak.migration.dir=${realmImportDir}`]);
  });
});
