/**
 * The `kad` command line as a commander program: every command, its flags and their
 * variables, its help, and the exit codes. Commander refuses unknown commands, unknown flags,
 * extra arguments and bad flag values (exit 2) before any action runs.
 */
import { Command } from 'commander';
import { SETTINGS, packageVersion } from '../../libs/runtime/index.js';
import { addClientCommands, type CliIo, type Outcome } from './client-commands.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { addNodeCommands } from './node-commands.js';

const CLIENT_HELP = `client commands (put, get, routing-table, stats):
  --target host:port[,host:port...]  KAD_TARGET   the nodes to call, in turn on failure (default 127.0.0.1:7400)
  --tls-ca, --tls-cert, --tls-key    KAD_TLS_CA, KAD_TLS_CERT, KAD_TLS_KEY   TLS and mutual TLS to the nodes
  --max-value-bytes N                KAD_MAX_VALUE_BYTES   the value limit put checks before sending
  values: kad put KEY VALUE (text), kad put KEY - (stdin), kad put KEY --file PATH;
  kad get KEY writes the exact bytes to a pipe or file (--raw: also to a terminal), --json base64`;

const NODE_HELP = `node settings (kad node, kad actor, kad cluster; each flag also an environment variable):
${SETTINGS.map((s) => `  --${s.flag.padEnd(26)} ${s.env.padEnd(30)} ${s.help}`).join('\n')}`;

export function buildProgram(io: CliIo, outcome: Outcome): Command {
  const program = new Command('kad')
    .description('A Kademlia DHT of actors: run nodes, and put and get values through them.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show the help (kad <command> --help: of that command)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`kad: ${s}`),
    })
    .showHelpAfterError('(kad <command> --help shows its usage)')
    .allowExcessArguments(false)
    .helpCommand('help [command]', 'show the help of a command');
  addNodeCommands(program, outcome);
  addClientCommands(program, io, outcome);
  program.addHelpText('after', `\n${CLIENT_HELP}\n\n${EXIT_CODES_HELP}\n\n${NODE_HELP}`);
  return program;
}
