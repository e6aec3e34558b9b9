// `npm run import:gift -- FILE [--out PATH] [--lang zh-CN|en] [--competency ID] [--prefix ID-]`
// Converts a Moodle GIFT bank to GovLearn quiz Markdown: the Markdown goes to stdout (or PATH), the
// report of what was converted, skipped and worth checking goes to stderr.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { convertGift, decodeGift, formatReport, GiftParseError, type GiftLocale } from '../src/lib/server/quiz/gift/index';

const usage = 'usage: npm run import:gift -- FILE [--out PATH] [--lang zh-CN|en] [--competency ID] [--prefix ID-]';
let args;
try {
	args = parseArgs({
		allowPositionals: true,
		options: {
			out: { type: 'string' },
			lang: { type: 'string' },
			competency: { type: 'string' },
			prefix: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
} catch (e) {
	console.error(`${(e as Error).message}\n${usage}`);
	process.exit(2);
}
const { values, positionals } = args;
if (values.help || positionals.length !== 1) {
	console.error(usage);
	process.exit(values.help ? 0 : 2);
}
if (values.lang && values.lang !== 'en' && values.lang !== 'zh-CN') {
	console.error(`--lang must be zh-CN or en\n${usage}`);
	process.exit(2);
}

/** Competency ids from the framework, so unknown tags are reported (no framework: no check). */
function knownCompetencies(): string[] | undefined {
	try {
		const data = parseYaml(readFileSync('content/competencies.yaml', 'utf8')) as { competencies?: { id: string }[] };
		return data.competencies?.map((c) => c.id);
	} catch {
		return undefined;
	}
}

const file = positionals[0];
let text: string;
try {
	text = decodeGift(readFileSync(file));
} catch (e) {
	console.error(`${file}: ${e instanceof GiftParseError ? e.message : `cannot read (${(e as Error).message})`}`);
	process.exit(1);
}
try {
	const result = convertGift(text, {
		locale: values.lang as GiftLocale | undefined,
		defaultCompetency: values.competency,
		idPrefix: values.prefix,
		competencies: knownCompetencies()
	});
	if (values.out) {
		writeFileSync(values.out, result.markdown);
		console.error(`wrote ${values.out}`);
	} else process.stdout.write(result.markdown);
	console.error(formatReport(result));
	process.exit(result.converted.length ? 0 : 1);
} catch (e) {
	if (e instanceof GiftParseError) {
		console.error(`${file}:${e.line}:${e.column}: ${e.detail}`);
		process.exit(1);
	}
	throw e;
}
