// The winston loggers of fabric-shim 2.5.8 and fabric-contract-api 2.5.8, as patched in patches/: a
// message below the logger's level is dropped before winston formats it. Unpatched, winston ran its whole format
// chain (timestamp, metadata, colours) on each of the shim's debug lines, several per ledger call,
// and only then did its transport drop them: about a tenth of a chaincode server's CPU under load.
import { expect } from 'chai';
import { createRequire } from 'node:module';

interface ShimLogger {
  level: string;
  format: { transform: (...args: unknown[]) => unknown };
  transports: { silent: boolean }[];
  debug(message: string): unknown;
  warn(message: string): unknown;
  error(message: string): unknown;
}

const requireFromHere = createRequire(__filename);
type Logging = { getLogger(name: string): ShimLogger };
const loggings: [string, Logging][] = [
  ['fabric-shim', requireFromHere('fabric-shim/lib/logger') as Logging],
  ['fabric-contract-api', requireFromHere('fabric-contract-api/lib/logger') as Logging],
];

function countFormats(logger: ShimLogger): () => number {
  let formats = 0;
  const original = logger.format.transform.bind(logger.format);
  logger.format.transform = (...args: unknown[]) => {
    formats += 1;
    return original(...args);
  };
  return () => formats;
}

for (const [library, shimLogging] of loggings)
  describe(`${library} logging below its level (patched)`, () => {
    const previous = process.env['CORE_CHAINCODE_LOGGING_LEVEL'];
    afterEach(() => {
      if (previous === undefined) delete process.env['CORE_CHAINCODE_LOGGING_LEVEL'];
      else process.env['CORE_CHAINCODE_LOGGING_LEVEL'] = previous;
    });

    it('formats nothing it will not write', () => {
      process.env['CORE_CHAINCODE_LOGGING_LEVEL'] = 'ERROR';
      const logger = shimLogging.getLogger('shim-logging-test');
      const formats = countFormats(logger);
      logger.debug('dropped');
      logger.warn('dropped too');
      expect(formats()).to.equal(0);
    });

    it('still formats what it writes, at the level the environment sets when the logger is got', () => {
      process.env['CORE_CHAINCODE_LOGGING_LEVEL'] = 'ERROR';
      const logger = shimLogging.getLogger('shim-logging-test-2');
      // The transport, not the logger, is silenced: winston formats first, then hands over.
      for (const transport of logger.transports) transport.silent = true;
      const formats = countFormats(logger);
      logger.error('written');
      expect(formats()).to.equal(1);
      process.env['CORE_CHAINCODE_LOGGING_LEVEL'] = 'DEBUG';
      shimLogging.getLogger('shim-logging-test-2');
      logger.debug('written too');
      expect(formats()).to.equal(2);
    });
  });
