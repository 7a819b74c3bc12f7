/**
 * `kad node`, `kad actor <name>` and `kad cluster`: the commands that run nodes. Their node
 * settings are the table of libs/runtime/node-config.ts (a flag each, and its KAD_* variable):
 * commander only refuses unknown flags and extra arguments; the values are read and checked by
 * resolveNodeConfig, as in the containers, whose settings come from the variables alone.
 */
import { Option, type Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { ACTORS, type ActorName } from '../../libs/bus/index.js';
import { ConfigError } from '../../libs/errors/index.js';
import { createRootLogger, SETTINGS, resolveNodeConfig, settingValues, type SettingValues } from '../../libs/runtime/index.js';
import { startNode } from '../node/kad-node.js';
import { SUPERVISED_CHILD_ENV, exitWithSupervisor, superviseNode } from '../node/supervisor.js';
import type { Outcome } from './client-commands.js';
import { MAX_CLUSTER_NODES, runCluster } from './cluster-command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { integerIn } from './option-values.js';
import { untilSignal } from './signals.js';

/** Adds every node setting as a flag; returns how to read them back, flags first, then the
 * environment, and the flags given on the command line (for a supervised child). */
function addNodeSettings(command: Command): { values: () => SettingValues; givenArgs: () => string[] } {
  const options = SETTINGS.map((setting) => {
    const option = new Option(`--${setting.flag} <value>`, `${setting.help} [${setting.env}]`);
    command.addOption(option);
    return { setting, key: option.attributeName() };
  });
  const flags = (): Record<string, unknown> => {
    const opts = command.opts<Record<string, unknown>>();
    return Object.fromEntries(options.map(({ setting, key }) => [setting.flag, opts[key]]));
  };
  return {
    values: () => settingValues(flags()),
    givenArgs: () =>
      options.flatMap(({ setting, key }) => {
        const value = command.opts<Record<string, unknown>>()[key];
        return command.getOptionValueSource(key) === 'cli' && typeof value === 'string' ? [`--${setting.flag}`, value] : [];
      }),
  };
}

const JSON_LOGS = 'logs are JSON lines (pino) either way';
/** This CLI's own file, for the supervisor's child. */
const CLI_PATH = fileURLToPath(new URL('./kad.js', import.meta.url));

export function addNodeCommands(program: Command, outcome: Outcome): void {
  const node = program
    .command('node')
    .description('run the four actors of a node in this process (in-process bus, or NATS with --nats-url)')
    .option('--supervise', 'run the node in a child process that is restarted when it dies [KAD_SUPERVISE=1]')
    .option('--json', JSON_LOGS);
  const nodeSettings = addNodeSettings(node);
  node.action(async () => {
    const supervise = node.opts<{ supervise?: boolean }>().supervise === true || process.env['KAD_SUPERVISE'] === '1';
    outcome.code = await runNode(
      nodeSettings.values(),
      undefined,
      supervise ? { cliPath: CLI_PATH, args: nodeSettings.givenArgs() } : undefined,
    );
  });

  const actor = program
    .command('actor')
    .description('run one actor of a node (split mode, over NATS: needs --nats-url)')
    .addArgument(program.createArgument('<name>', 'the actor').choices(ACTORS))
    .option('--json', JSON_LOGS);
  const actorSettings = addNodeSettings(actor);
  actor.action(async () => {
    const [name] = actor.processedArgs as [ActorName];
    outcome.code = await runNode(actorSettings.values(), name, undefined);
  });

  const cluster = program
    .command('cluster')
    .description('run N nodes on loopback in this process (a private nats-server when one is installed)')
    .addOption(new Option('--nodes <n>', 'how many nodes').argParser(integerIn(1, MAX_CLUSTER_NODES)).default(5))
    .addOption(new Option('--base-port <port>', 'node i listens on base-port + i - 1').argParser(integerIn(1, 65_535)).default(7400))
    .option('--no-nats', 'the in-process bus even when nats-server is installed')
    .option('--json', 'print the nodes as one line of JSON once they run');
  const clusterSettings = addNodeSettings(cluster);
  cluster.action(async () => {
    const opts = cluster.opts<{ nodes: number; basePort: number; nats: boolean; json?: boolean }>();
    await runCluster({
      nodes: opts.nodes,
      basePort: opts.basePort,
      nats: opts.nats,
      json: opts.json === true,
      settings: clusterSettings.values(),
    });
    outcome.code = EXIT.ok;
  });
}

async function runNode(
  values: SettingValues,
  actor: ActorName | undefined,
  supervise: { cliPath: string; args: string[] } | undefined,
): Promise<ExitCode> {
  const config = resolveNodeConfig(values);
  if (actor && !config.natsUrl) throw new ConfigError('kad actor needs --nats-url (KAD_NATS_URL): split actors talk over NATS');
  const root = createRootLogger(config.logLevel);
  if (!actor && supervise && process.env[SUPERVISED_CHILD_ENV] !== '1') {
    const code = await superviseNode(
      supervise.cliPath,
      supervise.args,
      root.child({ node: config.node, actor: 'supervisor' }),
      untilSignal(),
    );
    return code === 0 ? EXIT.ok : EXIT.failure;
  }
  exitWithSupervisor();
  const node = await startNode(config, root, actor ? { actors: [actor] } : {});
  root.info(
    { node: config.node, actors: actor ?? 'all', advertise: config.advertise, bus: config.natsUrl ? 'nats' : 'in-process' },
    'ready',
  );
  await untilSignal();
  await node.stop();
  return EXIT.ok;
}
