// The shape of one entry in the system's service list: a long-running daemon or a one-shot task.

export type HealthCheck =
  /**
   * An HTTP(S) endpoint answering `expectStatus` (200); an https URL is verified against the local CA,
   * and `clientIdentity` names the client certificate to present where the server asks for one.
   */
  | { kind: 'http'; url: string; expectStatus?: number; clientIdentity?: string }
  | { kind: 'tcp'; host: string; port: number }
  /** A probe command (e.g. pg_isready) that exits 0 when the service is ready. */
  | { kind: 'command'; command: string; args: string[] };

interface CommonSpec {
  name: string;
  description: string;
  dependsOn: string[];
}

export interface DaemonSpec extends CommonSpec {
  kind: 'daemon';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** A system user to run as (its uid and gid), for daemons that refuse to run as root. */
  user?: string;
  ports: number[];
  health: HealthCheck;
  /**
   * Further endpoints later steps connect to, each of which must accept a connection before the
   * daemon counts as healthy: `health` alone may pass first (an orderer's operations endpoint opens
   * before its admin endpoint, which the channel join uses).
   */
  listeners?: readonly { host: string; port: number }[];
  /** The signal that asks for a prompt clean shutdown (default SIGTERM; PostgreSQL's is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Seconds to wait for health before giving up. */
  startTimeoutSeconds: number;
  /** Identifies what a running instance was started with; a daemon whose fingerprint changed is restarted. */
  fingerprint?: () => string;
  /** Runs before every start (writes config files); must be idempotent. */
  prepare?: () => Promise<void>;
}

export interface TaskSpec extends CommonSpec {
  kind: 'task';
  /** Performs the step; must be idempotent, since every start runs it again. */
  run: () => Promise<void>;
}

export type ServiceSpec = DaemonSpec | TaskSpec;
