// An operator acting for one org on its own host names the org's state directory and its host
// address on the command line (`--state <dir>`, `--address <ip>`). The runner's code reads both when
// it is loaded (P2P_STATE_DIR, P2P_HOST_ADDRESS), so main.ts imports this module first and every
// path and endpoint of that code then names the org's own directory and host.
import * as path from 'node:path';

/** The environment `--state` and `--address` stand for (a `node=ip` address names one orderer's host). */
export function ownHostEnvironment(argv: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  argv.forEach((arg, index) => {
    const value = argv[index + 1];
    if (value === undefined) return;
    if (arg === '--state') env['P2P_STATE_DIR'] = path.resolve(value);
    if (arg === '--address' && !value.includes('=') && env['P2P_HOST_ADDRESS'] === undefined)
      env['P2P_HOST_ADDRESS'] = value;
  });
  return env;
}

Object.assign(process.env, ownHostEnvironment(process.argv.slice(2)));
