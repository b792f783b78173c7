// npm run -s docs:matrix: renders the authorization matrix into README.md between its markers.
import * as path from 'node:path';
import { writeMatrixSection } from './accessMatrixTables';

writeMatrixSection(path.join(__dirname, '..', '..', '..', 'README.md'));
