import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContentFiles } from './library';

/** Reads content/ from disk (command-line tools; the server bundles the files at build time). */
export function readContentFiles(root = process.cwd(), dir = 'content'): ContentFiles {
	const files: ContentFiles = {};
	const walk = (rel: string) => {
		for (const name of readdirSync(path.join(root, rel))) {
			const child = `${rel}/${name}`;
			if (statSync(path.join(root, child)).isDirectory()) walk(child);
			else if (/\.(md|ya?ml|svg)$/.test(name)) files[`content${child.slice(dir.length)}`] = readFileSync(path.join(root, child), 'utf8');
		}
	};
	walk(dir);
	return files;
}
