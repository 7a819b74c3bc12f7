// The layering check (`npm run lint`): the folders the code lives in import each other without
// cycles, libs/ never imports services/, harness/, bench/ or test/; services/ never imports
// harness/, bench/ or test/; harness/ (what tests and benchmarks both run clusters with) never
// imports bench/ or test/; and bench/ never imports test/. A folder is a unit: libs/<name>,
// services/<name>, test/<name>, and harness/ and bench/ as a whole.
// Prints every cycle and every forbidden import, and exits 1 when there is one.
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

const edges = new Map(); // unit -> Map(unit -> an example "file -> file")
for (const root of ROOTS) {
  for (const file of sources(root)) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = relative('.', normalize(join(dirname(file), match[1] ?? match[2] ?? match[3])));
      const [from, to] = [unitOf(file), unitOf(target)];
      if (from === to || target.startsWith('..') || target.startsWith('node_modules')) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${file} -> ${target}`);
    }
  }
}

const problems = [];
for (const [from, targets] of edges) {
  for (const [to, example] of targets) {
    const forbidden =
      (from.startsWith('libs/') && /^(services|harness|bench|test)/.test(to)) ||
      (from.startsWith('services/') && /^(harness|bench|test)/.test(to)) ||
      (from === 'harness' && /^(bench|test)/.test(to)) ||
      (from === 'bench' && /^test/.test(to));
    if (forbidden) problems.push(`${from} must not import ${to}: ${example}`);
  }
}

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
console.log(`imports: ${edges.size} folders, no cycles, layering kept`);
