// No UI text written straight into a component: every word a person reads comes from messages/ in
// both languages. Scans the markup of every .svelte file under src/routes and src/lib/components
// (text between tags and the readable attributes) for Chinese characters or English words outside
// {…} expressions, and component scripts for Chinese string literals.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src/routes', 'src/lib/components'];
/** Deliberate literal text: 'file: text'. Keep this short and say why. */
const ALLOWED = new Set<string>([]);
/** Tokens that are the same in both languages (product name, formats, symbols). */
const NEUTRAL = /^(GovLearn|CSV|XLSX|GIFT|ID|URL|HTTP|OK|PDF|[A-Z]{1,3}\d*|%|\W+)$/;
/** A language's own name, written in that language whatever the interface language (language switches). */
const ENDONYMS = new Set(['中文', 'English']);

function svelteFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory() ? svelteFiles(full) : name.endsWith('.svelte') ? [full] : [];
	});
}

/** Splits markup into the text outside `{…}` expressions and the expressions themselves (braces nest; strings may hold braces). */
export function splitExpressions(source: string): { outside: string; expressions: string[] } {
	let out = '';
	const expressions: string[] = [];
	let current = '';
	let depth = 0;
	let quote: string | null = null;
	for (let i = 0; i < source.length; i++) {
		const c = source[i];
		if (depth === 0) {
			if (c === '{') depth = 1;
			else out += c;
			continue;
		}
		current += c;
		if (quote) {
			if (c === '\\') current += source[++i] ?? '';
			else if (c === quote) quote = null;
			continue;
		}
		if (c === '"' || c === "'" || c === '`') quote = c;
		else if (c === '{') depth++;
		else if (c === '}') {
			depth--;
			if (depth === 0) {
				out += ' ';
				expressions.push(current.slice(0, -1));
				current = '';
			}
		}
	}
	return { outside: out, expressions };
}

/** The text a person would read, from a component's markup (scripts, styles and comments removed). */
export function readableText(source: string): string[] {
	const markup = splitExpressions(withoutCode(source)).outside;
	const attributes = [...markup.matchAll(/\s(?:aria-label|aria-description|title|placeholder|alt|label)="([^"]*)"/g)].map((m) => m[1]);
	const text = markup.replace(/<[^>]*>/g, '\n').split('\n');
	return [...attributes, ...text].map((t) => t.trim()).filter(Boolean);
}

const HAN = /\p{Script=Han}/u;

const withoutCode = (source: string) =>
	source
		.replace(/<script[\s\S]*?<\/script>/g, '')
		.replace(/<style[\s\S]*?<\/style>/g, '')
		.replace(/<!--[\s\S]*?-->/g, '')
		// <code> and <kbd> hold literal data (a file's column names, a command), the same in every language.
		.replace(/<(code|kbd|samp)\b[^>]*>[\s\S]*?<\/\1>/g, ' ');

/** Quoted strings holding Chinese text in code (comments skipped). */
function chineseLiterals(code: string): string[] {
	const bare = code.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
	return [...bare.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => m[2]).filter((s) => HAN.test(s) && !ENDONYMS.has(s));
}

/** Readable text that should have come from messages/. */
export function hardCoded(source: string): string[] {
	const found = readableText(source)
		.flatMap((t) => t.split(/\s+/))
		.filter((token) =>
			ENDONYMS.has(token) ? false : HAN.test(token) || (/[A-Za-z]{2,}/.test(token) && !NEUTRAL.test(token.replace(/[.,:;!?()·]/g, '')))
		);
	const scripts = [...source.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
	const expressions = splitExpressions(withoutCode(source)).expressions;
	return [...found, ...[...scripts, ...expressions].flatMap(chineseLiterals)];
}

describe('UI text comes from messages/', () => {
	it('finds hard-coded text the way it is meant to', () => {
		expect(hardCoded('<p>{m.ok()}</p><button aria-label={m.close()}>×</button>')).toEqual([]);
		expect(hardCoded('<p>提交</p>')).toEqual(['提交']);
		expect(hardCoded('<button title="Close">{m.x()}</button>')).toEqual(['Close']);
		expect(hardCoded('<p>{a ? "已完成" : m.b()}</p>')).toEqual(['已完成']);
		expect(hardCoded('<p>{m.a({ x: `{y}` })} ok</p>')).toEqual(['ok']);
		expect(hardCoded('<script>const label = "已完成";</script>')).toEqual(['已完成']);
		expect(hardCoded('<a lang="en">English</a><a lang="zh-CN">中文</a>{x === "en" ? "English" : "中文"}')).toEqual([]);
		expect(hardCoded('<td><code>username</code> / <code>工号</code></td>')).toEqual([]);
		expect(hardCoded('<span>{count} · GovLearn</span><style>p::before { content: "Note"; }</style>')).toEqual([]);
	});

	it('no component has text outside m.*()', () => {
		const files = ROOTS.flatMap(svelteFiles);
		expect(files.length).toBeGreaterThan(10);
		const offenders = files
			.flatMap((file) => hardCoded(readFileSync(file, 'utf8')).map((t) => `${file}: ${t}`))
			.filter((entry) => !ALLOWED.has(entry));
		expect(offenders).toEqual([]);
	});
});
