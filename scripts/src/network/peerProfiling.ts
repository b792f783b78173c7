// P2P_PEER_PROFILING=on: each peer serves Go's pprof (CPU, heap, goroutine profiles) on loopback at its
// `profile` port of network/ports.json, for a profile of where a peer's CPU goes under load:
//   go tool pprof -top 'http://127.0.0.1:7060/debug/pprof/profile?seconds=30'
// Off by default: the endpoint has no TLS and no authentication, so it never binds another address.

/** P2P_PEER_PROFILING holds something else than on or off. */
export class PeerProfilingSettingError extends Error {
  readonly code = 'PEER_PROFILING_SETTING_INVALID';
  constructor(value: string) {
    super(`P2P_PEER_PROFILING must be on or off, not ${value}`);
    this.name = 'PeerProfilingSettingError';
  }
}

/** Where the peer's pprof listens (core.yaml `peer.profile.listenAddress`), or undefined when it is off. */
export function peerProfileAddress(
  profilePort: number,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const setting = env['P2P_PEER_PROFILING'] ?? 'off';
  if (setting === 'off' || setting === '') return undefined;
  if (setting !== 'on') throw new PeerProfilingSettingError(setting);
  return `127.0.0.1:${String(profilePort)}`;
}
