// The layering check (`npm run lint`). Every folder has a layer, and imports only go down:
//
//   0 libs/errors, libs/sampling, libs/client   leaves (the client package imports nothing outside)
//   1 libs/kademlia                             the pure core
//   2 libs/identity, libs/proto, libs/observability
//   3 libs/runtime                              configuration, logger, process helpers
//   4 libs/bus                                  the bus and the actor context
//   5 services/<actor>                          one folder per actor; actors never import each other
//   6 services/node                             composes the actors
//   7 services/cli                              `kad`
//   8 harness                                   what tests and benchmarks both run
//   9 bench
//  10 test, scripts
//
// A folder that is not in the table is an error, so a new one gets its layer on purpose. A
// folder of libs/ is entered through its entry file (index.ts; the client package has three, by
// audience: index.ts its public API, rules.ts the pure rules the core shares, node.ts the rest the
// node shares), except from generated code and from test/unit, whose tests each test a module.
// Cycles are reported too (they cannot pass the layers, but the message names the path).
// Prints every problem, and exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOTS = ['libs', 'services', 'harness', 'bench', 'test', 'scripts'];
const IMPORT =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm;

function* sources(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) yield path;
  }
}

function unitOf(path) {
  const [top, sub] = path.split('/');
  if (top === 'bench' || top === 'scripts' || top === 'harness') return top;
  return sub && !sub.includes('.') ? `${top}/${sub}` : top;
}

const ENTRIES = { 'libs/client': ['index.ts', 'rules.ts', 'node.ts'] };
const entriesOf = (unit) => ENTRIES[unit] ?? ['index.ts'];
const generated = (file) => file.includes('/gen/') || file.endsWith('.gen.ts') || file === 'libs/proto/v1.ts';
/** Whether `file` may import `target`, a module of another folder, as it does. */
function throughEntry(file, target) {
  const unit = unitOf(target);
  if (!unit.startsWith('libs/') || generated(file) || file.startsWith('test/unit/')) return true;
  return entriesOf(unit).some((entry) => target === `${unit}/${entry.replace(/\.ts$/, '.js')}`);
}
const entryHint = (target) =>
  entriesOf(unitOf(target))
    .map((entry) => `${unitOf(target)}/${entry.replace(/\.ts$/, '.js')}`)
    .join(' or ');
const entryViolations = [];

const edges = new Map(); // unit -> Map(unit -> an example "file -> file")
for (const root of ROOTS) {
  for (const file of sources(root)) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = relative('.', normalize(join(dirname(file), match[1] ?? match[2] ?? match[3])));
      const [from, to] = [unitOf(file), unitOf(target)];
      if (from === to || target.startsWith('..') || target.startsWith('node_modules')) continue;
      if (!throughEntry(file, target)) entryViolations.push([file, target]);
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${file} -> ${target}`);
    }
  }
}

const LAYERS = [
  ['libs/errors', 'libs/sampling', 'libs/client'],
  ['libs/kademlia'],
  ['libs/identity', 'libs/proto', 'libs/observability'],
  ['libs/runtime'],
  ['libs/bus'],
  ['services/routing-table', 'services/storage', 'services/transport', 'services/lookup-coordinator'],
  ['services/node'],
  ['services/cli'],
  ['harness'],
  ['bench'],
  ['test/unit', 'test/actor', 'test/integration', 'test/deploy', 'test/testkit', 'scripts'],
];
const layerOf = (unit) => LAYERS.findIndex((layer) => layer.includes(unit));
const TOP = LAYERS.length - 1;

const problems = [];
for (const [from, targets] of edges) {
  if (layerOf(from) < 0) problems.push(`${from} has no layer: add it to LAYERS in scripts/check-imports.mjs`);
  for (const [to, example] of targets) {
    if (layerOf(to) < 0) continue;
    // The top layer (tests, scripts) may import each other; everything else only imports down.
    const allowed = layerOf(to) < layerOf(from) || (layerOf(from) === TOP && layerOf(to) === TOP);
    if (!allowed && layerOf(from) >= 0)
      problems.push(`${from} (layer ${layerOf(from)}) must not import ${to} (layer ${layerOf(to)}): ${example}`);
  }
}
for (const [file, target] of entryViolations) problems.push(`${file} imports ${target}: import ${entryHint(target)} instead`);

// Cycles: a depth-first search reports each back edge with the path it closes.
const state = new Map();
const stack = [];
const visit = (unit) => {
  state.set(unit, 'open');
  stack.push(unit);
  for (const [next, example] of edges.get(unit) ?? []) {
    if (state.get(next) === 'open')
      problems.push(`import cycle: ${[...stack.slice(stack.indexOf(next)), next].join(' -> ')} (closed by ${example})`);
    else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(unit, 'done');
};
for (const unit of [...edges.keys()].sort()) if (!state.has(unit)) visit(unit);

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(
  `imports: ${edges.size} folders in ${LAYERS.length} layers, no cycles, only downward imports, libs entered through their entry files`,
);
