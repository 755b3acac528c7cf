// No query is built from values: every SQL text handed to the ClickHouse client in server/ and
// aggregates/ is a constant or is put together from constants only; values travel as
// {name:Type} query parameters. Read from the sources with the TypeScript parser.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

/** Where SQL text or a table name enters the client: the call, and which argument or property. */
const SINKS: { callee: string; arg?: number; property?: string }[] = [
  { callee: 'rows', arg: 1 },
  { callee: 'insertRows', arg: 1 },
  { callee: 'insertColumns', arg: 1 },
  { callee: 'query', property: 'query' },
  { callee: 'command', property: 'query' },
  { callee: 'exec', property: 'query' },
  { callee: 'insert', property: 'table' }
];

/** Texts that are not in the source but are still constants, with the reason. */
const KNOWN: Record<string, string> = {
  // Statements of aggregates/migrations/*.sql: files of the repository, read at start.
  'server/db/migrate.ts:query': 'migration files'
};

function constantIn(file: ts.SourceFile, node: ts.Expression, seen = new Set<string>()): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return true;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return constantIn(file, node.expression, seen);
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => constantIn(file, span.expression, seen));
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return constantIn(file, node.left, seen) && constantIn(file, node.right, seen);
  // A choice between constants (an allow-list): the condition may be anything.
  if (ts.isConditionalExpression(node)) return constantIn(file, node.whenTrue, seen) && constantIn(file, node.whenFalse, seen);
  if (ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) return constantObject(file, node.expression, seen);
  if (ts.isIdentifier(node)) {
    if (seen.has(node.text)) return false;
    seen.add(node.text);
    const init = constDeclaration(file, node.text);
    return init !== null && constantIn(file, init, seen);
  }
  return false;
}

/** A const object or array literal whose every value is a constant. */
function constantObject(file: ts.SourceFile, node: ts.Expression, seen: Set<string>): boolean {
  const init = ts.isIdentifier(node) ? constDeclaration(file, node.text) : null;
  if (!init) return false;
  const literal = ts.isAsExpression(init) ? init.expression : init;
  if (ts.isObjectLiteralExpression(literal)) return literal.properties.every((p) => ts.isPropertyAssignment(p) && constantIn(file, p.initializer, seen));
  if (ts.isArrayLiteralExpression(literal)) return literal.elements.every((e) => constantIn(file, e, seen));
  return false;
}

function constDeclaration(file: ts.SourceFile, name: string): ts.Expression | null {
  let found: ts.Expression | null = null;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      const list = node.parent;
      if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) found = node.initializer;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sinksOf(path: string): { where: string; text: string; constant: boolean }[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { where: string; text: string; constant: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = ts.isIdentifier(node.expression) ? node.expression.text : ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : '';
      for (const sink of SINKS.filter((s) => s.callee === callee)) {
        let value: ts.Expression | undefined;
        if (sink.arg !== undefined) value = node.arguments[sink.arg];
        else {
          const options = node.arguments[0];
          if (options && ts.isObjectLiteralExpression(options)) {
            for (const p of options.properties) {
              if (ts.isPropertyAssignment(p) && p.name.getText(source) === sink.property) value = p.initializer;
              if (ts.isShorthandPropertyAssignment(p) && p.name.text === sink.property) value = p.name;
            }
          }
        }
        if (!value) continue;
        const file = relative(ROOT, path);
        const text = value.getText(source);
        const { line } = source.getLineAndCharacterOfPosition(value.getStart(source));
        found.push({ where: `${file}:${line + 1}`, text, constant: constantIn(source, value) || KNOWN[`${file}:${text}`] !== undefined });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('SQL is never built from values', () => {
  const all = [...files(join(ROOT, 'server')), ...files(join(ROOT, 'aggregates'))]
    // The funnels themselves pass their callers' text on; their callers are checked.
    .filter((path) => !path.endsWith(join('server', 'db', 'store.ts')));
  const sinks = all.flatMap(sinksOf);

  it('finds the queries (the scan sees what it is meant to)', () => {
    expect(sinks.length).toBeGreaterThan(30);
    expect(sinks.filter((s) => s.where.startsWith('aggregates/queries/')).length).toBeGreaterThanOrEqual(20);
  });

  it('hands the client only constant SQL text and table names', () => {
    expect(sinks.filter((s) => !s.constant).map((s) => `${s.where}: ${s.text.slice(0, 80)}`)).toEqual([]);
  });

  it('tells an interpolated value from a constant', () => {
    const probe = ts.createSourceFile(
      'probe.ts',
      "const T = 'plants'; const SORT = { name: 'name', power: 'power_w' } as const; const id = req.id;\n" +
        'a = `SELECT * FROM ${T} ORDER BY ${SORT[key]}`; b = `SELECT * FROM plants WHERE id = ${id}`; c = `SELECT ${req.query.sort}`;',
      ts.ScriptTarget.Latest,
      true
    );
    const templates: ts.Expression[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isTemplateExpression(node)) templates.push(node);
      ts.forEachChild(node, visit);
    };
    visit(probe);
    expect(templates.map((t) => constantIn(probe, t))).toEqual([true, false, false]);
  });
});
