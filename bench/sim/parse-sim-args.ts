/**
 * Command-line flags of `npm run sim` (bench/sim/run-sim.ts), with their defaults.
 *
 *   --nodes 1000,10000,100000   network sizes
 *   --lookups 200               measured lookups per scenario row
 *   --seed 1                    everything random follows from it
 *   --out bench/results         where sim.md, sim.json and sim.svg go
 *   --k 20 --alpha 3            Kademlia parameters (default: DEFAULT_CONFIG)
 *   --churn-rate 0.01           share of live nodes replaced per churn epoch
 *   --heavy-churn-rate 0.1      the same for the heavy-churn row (0: no such row)
 *   --churn-epochs 3            epochs of each churn scenario
 *   --records 20                records published before churn
 *   --table-budget-mib 5500     heap for routing tables; sets how many stay built at once
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../../libs/kademlia/index.js';

export interface SimArgs {
  readonly nodes: number[];
  readonly lookups: number;
  readonly seed: number;
  readonly out: string;
  readonly k: number;
  readonly alpha: number;
  readonly churnRate: number;
  readonly heavyChurnRate: number;
  readonly churnEpochs: number;
  readonly records: number;
  readonly tableBudgetMib: number;
}

export const DEFAULT_SIM_ARGS: SimArgs = {
  nodes: [1_000, 10_000, 100_000],
  lookups: 200,
  seed: 1,
  out: 'bench/results',
  k: DEFAULT_CONFIG.k,
  alpha: DEFAULT_CONFIG.alpha,
  churnRate: 0.01,
  heavyChurnRate: 0.1,
  churnEpochs: 3,
  records: 20,
  tableBudgetMib: 5_500,
};

function count(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${flag} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}

function fraction(flag: string, text: string): number {
  const x = Number(text);
  if (!(x >= 0 && x < 1)) throw new RangeError(`${flag} must be in [0, 1), got ${JSON.stringify(text)}`);
  return x;
}

type MutableSimArgs = { -readonly [K in keyof SimArgs]: SimArgs[K] };

/** Each flag's effect on the arguments, given its value. */
const SETTERS: Readonly<Record<string, (args: MutableSimArgs, flag: string, value: string) => void>> = {
  nodes: (args, flag, value) => {
    args.nodes = value.split(',').map((n) => count(flag, n.replaceAll('_', ''), 2));
  },
  lookups: (args, flag, value) => {
    args.lookups = count(flag, value, 1);
  },
  seed: (args, flag, value) => {
    args.seed = count(flag, value, 0);
  },
  out: (args, _flag, value) => {
    args.out = value;
  },
  k: (args, flag, value) => {
    args.k = count(flag, value, 1);
  },
  alpha: (args, flag, value) => {
    args.alpha = count(flag, value, 1);
  },
  'churn-rate': (args, flag, value) => {
    args.churnRate = fraction(flag, value);
  },
  'heavy-churn-rate': (args, flag, value) => {
    args.heavyChurnRate = fraction(flag, value);
  },
  'churn-epochs': (args, flag, value) => {
    args.churnEpochs = count(flag, value, 1);
  },
  records: (args, flag, value) => {
    args.records = count(flag, value, 0);
  },
  'table-budget-mib': (args, flag, value) => {
    args.tableBudgetMib = count(flag, value, 1);
  },
};

const OPTIONS = Object.fromEntries(Object.keys(SETTERS).map((name) => [name, { type: 'string' as const }]));

export function parseSimArgs(argv: readonly string[]): SimArgs {
  const args: MutableSimArgs = { ...DEFAULT_SIM_ARGS, nodes: [...DEFAULT_SIM_ARGS.nodes] };
  // Not strict: node:util's own errors would name flags its way; these messages are the
  // simulator's ("unknown flag", "needs a value"), read off the tokens in order (the last of a
  // repeated flag wins).
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') throw new RangeError(`unknown flag ${JSON.stringify(token.value)}`);
    if (token.kind === 'option-terminator') throw new RangeError('unknown flag "--"');
    const set = Object.hasOwn(SETTERS, token.name) ? SETTERS[token.name] : undefined;
    if (!set || !token.rawName.startsWith('--')) throw new RangeError(`unknown flag ${JSON.stringify(token.rawName)}`);
    if (token.value === undefined) throw new RangeError(`${token.rawName} needs a value`);
    set(args, token.rawName, token.value);
  }
  return args;
}
