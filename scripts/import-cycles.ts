/**
 * Lists the import cycles of the TypeScript sources and exits 1 when there is one.
 *
 *   node --import tsx scripts/import-cycles.ts [root]     (npm run check:cycles)
 *
 * Every static import and export-from, `import x = require()` and dynamic `import()` is an edge: a lazy
 * import still ties two modules together, so it must not hide a cycle. Type-only imports (`import type`,
 * or every name marked `type`) are edges too, but marked: a cycle made only of value imports is a
 * runtime cycle (evaluation order decides what a module sees), one that needs a type-only edge is a
 * type cycle (harmless at run time, still a tangle). Both are reported and both fail the check.
 *
 * Each cycle is a strongly connected component of the graph (Tarjan): its files, and one shortest loop
 * through it as an example of how they tie together.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The folders whose TypeScript is walked, relative to the root. */
export const SOURCE_FOLDERS = ['workers', 'shared', 'cli', 'electron', 'server', 'renderer'];

/** One import of one file. */
interface Edge {
  to: string;
  typeOnly: boolean;
}

/** One cycle: the files of a strongly connected component and an example loop through them. */
export interface ImportCycle {
  /** `runtime` when the files form a cycle through value imports alone. */
  kind: 'runtime' | 'type';
  /** Every file of the component, relative to the root, sorted. */
  files: string[];
  /** One shortest loop, first file repeated at the end. */
  loop: string[];
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts)$/;

function sourceFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE_FILE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether an import declaration brings in types only (elided from the emitted JavaScript). */
function importIsTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import './x'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function exportIsTypeOnly(declaration: ts.ExportDeclaration): boolean {
  if (declaration.isTypeOnly) return true;
  const clause = declaration.exportClause;
  return (
    !!clause &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((element) => element.isTypeOnly)
  );
}

/** The module specifiers `file` imports, each with whether only types come through it. */
function specifiers(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = ts.sys.readFile(file) ?? '';
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier))
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: importIsTypeOnly(node.importClause) });
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: exportIsTypeOnly(node) });
    else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    )
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    )
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push({ specifier: literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The import graph of the TypeScript under `folders` of `root`: file → its imports inside the root. */
export function importGraph(root: string, folders: string[] = SOURCE_FOLDERS): Map<string, Edge[]> {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    jsx: ts.JsxEmit.ReactJSX,
  };
  const files = folders.flatMap((folder) => sourceFiles(join(root, folder)));
  const known = new Set(files);
  const graph = new Map<string, Edge[]>();
  for (const file of files) {
    const edges = new Map<string, Edge>();
    for (const { specifier, typeOnly } of specifiers(file)) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      const target = resolved?.resolvedFileName;
      if (!target || !known.has(target)) continue;
      const earlier = edges.get(target);
      // A value import anywhere makes the edge a value edge.
      edges.set(target, { to: target, typeOnly: typeOnly && (earlier?.typeOnly ?? true) });
    }
    graph.set(file, [...edges.values()]);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function components(graph: Map<string, Edge[]>, follow: (edge: Edge) => boolean): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const connect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const edge of graph.get(file) ?? []) {
      if (!follow(edge)) continue;
      if (!index.has(edge.to)) {
        connect(edge.to);
        low.set(file, Math.min(low.get(file)!, low.get(edge.to)!));
      } else if (onStack.has(edge.to)) low.set(file, Math.min(low.get(file)!, index.get(edge.to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfLoop = (graph.get(file) ?? []).some((edge) => edge.to === file && follow(edge));
    if (component.length > 1 || selfLoop) found.push(component);
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);
  return found;
}

/** A shortest loop from the component's first file back to itself, inside the component (breadth-first). */
function shortestLoop(
  graph: Map<string, Edge[]>,
  follow: (edge: Edge) => boolean,
  members: Set<string>,
  start: string,
): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const file = queue[head]!;
    for (const edge of graph.get(file) ?? []) {
      const to = edge.to;
      if (!members.has(to) || !follow(edge)) continue;
      if (to === start) {
        const loop = [start];
        for (
          let step: string | undefined = file;
          step !== undefined && step !== start;
          step = previous.get(step)
        )
          loop.splice(1, 0, step);
        return [...loop, start];
      }
      if (!previous.has(to)) {
        previous.set(to, file);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/** Every import cycle of the TypeScript under `folders` of `root`, runtime cycles first. */
export function findImportCycles(root: string, folders: string[] = SOURCE_FOLDERS): ImportCycle[] {
  const graph = importGraph(root, folders);
  const name = (file: string) => relative(root, file).split(sep).join('/');
  const runtime = components(graph, (edge) => !edge.typeOnly);
  const inRuntime = new Set(runtime.flat());
  const all = components(graph, () => true);
  const cycles: ImportCycle[] = [];
  const values = (edge: Edge) => !edge.typeOnly;
  for (const [kind, list, follow] of [
    ['runtime', runtime, values],
    // A type cycle is reported unless its files already form a runtime cycle exactly.
    ['type', all.filter((component) => !component.every((file) => inRuntime.has(file))), () => true],
  ] as const) {
    for (const component of list) {
      const members = new Set(component);
      const sorted = [...component].sort();
      cycles.push({
        kind,
        files: sorted.map(name),
        loop: shortestLoop(graph, follow, members, sorted[0]!).map(name),
      });
    }
  }
  return cycles;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const cycles = findImportCycles(root);
  for (const cycle of cycles) {
    process.stdout.write(
      `${cycle.kind} cycle of ${cycle.files.length} files:\n  ${cycle.loop.join('\n  → ')}\n` +
        `  files: ${cycle.files.join(', ')}\n`,
    );
  }
  process.stdout.write(cycles.length === 0 ? 'no import cycles\n' : `${cycles.length} import cycle(s)\n`);
  process.exitCode = cycles.length === 0 ? 0 : 1;
}
