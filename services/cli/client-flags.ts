/**
 * The flags every client command of `kad` shares (where to call, how long, TLS, output), and the
 * DhtClient they make. Each flag also has a KAD_* variable; a flag wins over its variable.
 */
import { Option, type Command } from 'commander';
import { DhtClient, type ClientTlsOptions } from '../../libs/client/index.js';
import { ConfigError, readSettingFile } from '../../libs/errors/index.js';
import { DEFAULT_RECORD_LIMITS } from '../../libs/kademlia/index.js';
import { MAX_TIMEOUT_MS, addressList, integerIn, optionalPath, positiveInteger } from './option-values.js';

export const DEFAULT_TARGET = '127.0.0.1:7400';

export interface ClientFlags {
  readonly target?: string[];
  readonly timeoutMs?: number;
  readonly json?: boolean;
  readonly tlsCa?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly maxValueBytes?: number;
}

/** --target, --timeout-ms, --json and the TLS flags. */
export function addClientFlags(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--target <host:port>',
        `node address; several (comma-separated, or the flag repeated) fail over in turn (default ${DEFAULT_TARGET})`,
      )
        .env('KAD_TARGET')
        .argParser(addressList),
    )
    .addOption(
      new Option('--timeout-ms <ms>', 'deadline of the whole call, retries and failover included (default 15000)').argParser(
        integerIn(1, MAX_TIMEOUT_MS),
      ),
    )
    .option('--json', 'print the answer as one line of JSON')
    .addOption(
      new Option('--tls-ca <file>', "TLS to the node, trusting this CA (any host name: the node's key is its identity)")
        .env('KAD_TLS_CA')
        .argParser(optionalPath),
    )
    .addOption(
      new Option('--tls-cert <file>', 'client certificate for mutual TLS (with --tls-key)').env('KAD_TLS_CERT').argParser(optionalPath),
    )
    .addOption(new Option('--tls-key <file>', 'the private key of --tls-cert').env('KAD_TLS_KEY').argParser(optionalPath));
}

/** --max-value-bytes: the value limit the client checks before sending (put, and get's replies). */
export function addValueLimitFlag(command: Command): Command {
  return command.addOption(
    new Option(
      '--max-value-bytes <n>',
      `the nodes' value limit, checked before sending (default ${DEFAULT_RECORD_LIMITS.maxValueBytes}, as a node's)`,
    )
      .env('KAD_MAX_VALUE_BYTES')
      .argParser(positiveInteger),
  );
}

export function openClient(flags: ClientFlags): DhtClient {
  const tls = clientTls(flags);
  return new DhtClient(flags.target ?? DEFAULT_TARGET, {
    ...(tls ? { tls } : {}),
    ...(flags.maxValueBytes === undefined ? {} : { limits: { maxValueBytes: flags.maxValueBytes } }),
  });
}

/** The call options of --timeout-ms. */
export function callOptions(flags: ClientFlags): { timeoutMs?: number } {
  return flags.timeoutMs === undefined ? {} : { timeoutMs: flags.timeoutMs };
}

/** TLS to the node when any of --tls-ca, --tls-cert, --tls-key is set; plaintext otherwise. */
function clientTls(flags: ClientFlags): ClientTlsOptions | undefined {
  const { tlsCa: ca, tlsCert: cert, tlsKey: key } = flags;
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  if ((cert === undefined) !== (key === undefined)) throw new ConfigError('--tls-cert and --tls-key go together');
  const read = (file: string, flag: string): Buffer => readSettingFile(file, 'file', flag);
  return {
    ...(ca !== undefined ? { ca: read(ca, 'tls-ca') } : {}),
    ...(cert !== undefined && key !== undefined ? { cert: read(cert, 'tls-cert'), key: read(key, 'tls-key') } : {}),
  };
}
