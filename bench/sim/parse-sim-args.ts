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

export function parseSimArgs(argv: readonly string[]): SimArgs {
  const args: { -readonly [K in keyof SimArgs]: SimArgs[K] } = { ...DEFAULT_SIM_ARGS, nodes: [...DEFAULT_SIM_ARGS.nodes] };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    if (value === undefined) throw new RangeError(`${flag} needs a value`);
    switch (flag) {
      case '--nodes':
        args.nodes = value.split(',').map((n) => count(flag, n.replaceAll('_', ''), 2));
        break;
      case '--lookups':
        args.lookups = count(flag, value, 1);
        break;
      case '--seed':
        args.seed = count(flag, value, 0);
        break;
      case '--out':
        args.out = value;
        break;
      case '--k':
        args.k = count(flag, value, 1);
        break;
      case '--alpha':
        args.alpha = count(flag, value, 1);
        break;
      case '--churn-rate':
        args.churnRate = fraction(flag, value);
        break;
      case '--heavy-churn-rate':
        args.heavyChurnRate = fraction(flag, value);
        break;
      case '--churn-epochs':
        args.churnEpochs = count(flag, value, 1);
        break;
      case '--records':
        args.records = count(flag, value, 0);
        break;
      case '--table-budget-mib':
        args.tableBudgetMib = count(flag, value, 1);
        break;
      default:
        throw new RangeError(`unknown flag ${JSON.stringify(flag)}`);
    }
  }
  return args;
}
