import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

// The rules of ADR 0038, read from the TypeScript sources under a root (src/):
// - a unit is a top-level folder (src/<top>/) or a module (src/modules/<name>/); files directly
//   in the root (the Worker entry, the aggregate registry) are entry files, each its own unit;
// - a file outside a module imports from it only its index.ts, unless it is an entry file;
// - no import cycle, between files or between units. Type-only imports count: they tie the
//   files together as much as a value does (a change to one breaks the other).
// Only relative specifiers are followed; packages are not the concern here.

const MODULES = "modules";

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|tsx)$/.test(name) ? [path] : [];
  });
}

/** The specifiers a file imports or re-exports, static, dynamic and in `import("…")` types. */
function specifiersOf(file) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const specifiers = [];
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.mts`, `${base}.tsx`, join(base, "index.ts")];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** The unit a file belongs to, as a path relative to the root with `/` separators. */
function unitOf(path) {
  const parts = path.split("/");
  if (parts.length === 1) return path;
  if (parts[0] === MODULES && parts.length > 2) return `${MODULES}/${parts[1]}`;
  return parts[0];
}

const isModule = (unit) => unit.startsWith(`${MODULES}/`);
const isEntryFile = (path) => !path.includes("/");

/** Strongly connected components with more than one node (Tarjan), each as a sorted list. */
function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const connect = (node) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return found;
}

const addEdge = (graph, from, to) => {
  if (!graph.has(from)) graph.set(from, new Set());
  graph.get(from).add(to);
};

/** Every boundary violation under `root`, one sentence each; empty when the tree is clean. */
export function boundaryViolations(root) {
  const violations = [];
  const files = new Map();
  const units = new Map();
  const named = (path) => relative(root, path).split(sep).join("/");
  for (const file of sourceFiles(root).sort()) {
    const from = named(file);
    addEdge(files, from, from);
    files.get(from).delete(from);
    for (const specifier of specifiersOf(file)) {
      if (!specifier.startsWith(".")) continue;
      const target = resolveRelative(file, specifier);
      if (target === undefined) continue;
      const to = named(target);
      if (to.startsWith("..")) continue;
      addEdge(files, from, to);
      const [fromUnit, toUnit] = [unitOf(from), unitOf(to)];
      if (fromUnit === toUnit) continue;
      addEdge(units, fromUnit, toUnit);
      if (isModule(toUnit) && to !== `${toUnit}/index.ts` && !isEntryFile(from)) {
        violations.push(`${from} imports ${to}: import the ${toUnit} module through its index.ts`);
      }
    }
  }
  for (const cycle of cycles(units))
    violations.push(`units import each other: ${cycle.join(", ")}`);
  for (const cycle of cycles(files))
    violations.push(`files import each other: ${cycle.join(", ")}`);
  return violations;
}
