// Every route, form action and endpoint the app has, read from src/routes with the TypeScript parser:
// pages (GET), the actions of each +page.server.ts (POST ?/name), and the methods each +server.ts exports.
// The authorization matrix must name every one of them, so a new route without an entry fails its test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface DiscoveredRoute {
	/** "GET /courses/[course]", "POST /courses/[course]/quiz?/submit", "GET /insights/export.csv" */
	key: string;
	kind: 'page' | 'action' | 'endpoint';
	method: string;
	/** Route id without groups: /courses/[course]/quiz */
	route: string;
	/** Form action name (pages with actions); "default" is posted without ?/name. */
	action?: string;
	/** Source file, relative to the project root. */
	file: string;
}

const root = path.resolve(import.meta.dirname, '../..');
const ROUTES = path.join(root, 'src/routes');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

function exportedNames(file: string): Map<string, ts.Node> {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
	const names = new Map<string, ts.Node>();
	for (const statement of source.statements) {
		const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (ts.isVariableStatement(statement) && exported) {
			for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.set(d.name.text, d.initializer ?? d);
		} else if (ts.isFunctionDeclaration(statement) && exported && statement.name) names.set(statement.name.text, statement);
		else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
			for (const e of statement.exportClause.elements) names.set(e.name.text, e);
		}
	}
	return names;
}

/** Property names of the `actions` object literal (through `satisfies` / `as`). */
function actionNames(node: ts.Node | undefined, file: string): string[] {
	let n = node;
	while (n && (ts.isSatisfiesExpression(n) || ts.isAsExpression(n) || ts.isParenthesizedExpression(n))) n = n.expression;
	if (!n || !ts.isObjectLiteralExpression(n)) throw new Error(`${file}: cannot read the actions (not an object literal)`);
	return n.properties.map((p) => {
		if (ts.isSpreadAssignment(p) || !p.name) throw new Error(`${file}: cannot read an action name (spread)`);
		if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return p.name.text;
		throw new Error(`${file}: computed action name`);
	});
}

function routeId(dir: string): string {
	const segments = path
		.relative(ROUTES, dir)
		.split(path.sep)
		.filter((s) => s && !/^\(.*\)$/.test(s))
		// [id=id] is the route [id] with a matcher: the matrix names the parameter, not its matcher.
		.map((s) => s.replace(/\[([^=\]]+)=[^\]]+\]/g, '[$1]'));
	return `/${segments.join('/')}`;
}

/** Everything under src/routes, sorted by key. */
export function discoverRoutes(): DiscoveredRoute[] {
	const found: DiscoveredRoute[] = [];
	const walk = (dir: string) => {
		const files = readdirSync(dir, { withFileTypes: true });
		const route = routeId(dir);
		const has = (name: string) => files.some((f) => f.isFile() && f.name === name);
		const rel = (name: string) => path.relative(root, path.join(dir, name));
		if (has('+page.svelte') || has('+page.server.ts') || has('+page.ts')) {
			found.push({
				key: `GET ${route}`,
				kind: 'page',
				method: 'GET',
				route,
				file: rel(has('+page.server.ts') ? '+page.server.ts' : '+page.svelte')
			});
		}
		if (has('+page.server.ts')) {
			const file = path.join(dir, '+page.server.ts');
			const names = exportedNames(file);
			if (names.has('actions')) {
				for (const action of actionNames(names.get('actions'), rel('+page.server.ts'))) {
					const suffix = action === 'default' ? '' : `?/${action}`;
					found.push({ key: `POST ${route}${suffix}`, kind: 'action', method: 'POST', route, action, file: rel('+page.server.ts') });
				}
			}
		}
		for (const name of ['+server.ts', '+server.js']) {
			if (!has(name)) continue;
			for (const method of exportedNames(path.join(dir, name)).keys()) {
				if (METHODS.includes(method)) found.push({ key: `${method} ${route}`, kind: 'endpoint', method, route, file: rel(name) });
			}
		}
		for (const f of files) if (f.isDirectory()) walk(path.join(dir, f.name));
	};
	if (!existsSync(ROUTES)) throw new Error(`no ${ROUTES}`);
	walk(ROUTES);
	return found.sort((a, b) => a.key.localeCompare(b.key));
}

/** `route` with its [params] filled in from `params`. */
export function fillRoute(route: string, params: Record<string, string>): string {
	return route.replace(/\[(?:\.\.\.)?([^\]=]+)(?:=[^\]]+)?\]/g, (_, name: string) => {
		if (params[name] === undefined) throw new Error(`no value for [${name}] in ${route}`);
		return encodeURIComponent(params[name]);
	});
}
