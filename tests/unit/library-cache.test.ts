// The runtime library re-reads only the courses whose files changed (a publish re-reads one course).
import { describe, expect, it } from 'vitest';
import { readContentFiles } from '../../src/lib/server/content/files';
import { loadLibrary, type CourseDef } from '../../src/lib/server/content/library';

const FIXTURE = 'tests/fixtures/content';

describe('the runtime library cache', () => {
	it('serves the same courses as a full read, and re-reads a course once its files change', () => {
		const files = readContentFiles(process.cwd(), FIXTURE);
		const cache = new Map<string, CourseDef>();
		const full = loadLibrary(files, { references: false });
		const first = loadLibrary(files, { courseCache: cache, references: false });
		expect(first.courses).toEqual(full.courses);
		const again = loadLibrary(files, { courseCache: cache, references: false });
		// Unchanged courses come from the cache: the very same lesson objects.
		expect(again.courses.map((c) => c.lessons)).toEqual(first.courses.map((c) => c.lessons));
		expect(again.courses[0].lessons).toBe(first.courses[0].lessons);

		const lesson = Object.keys(files).find((f) => f.startsWith(`${first.courses[0].dir}/`) && /\/\d{2}-[^/]+\.en\.md$/.test(f))!;
		const changed = loadLibrary(
			{ ...files, [lesson]: `${files[lesson]}\nOne more sentence.\n` },
			{ courseCache: cache, references: false }
		);
		expect(changed.courses[0].version).not.toBe(first.courses[0].version);
		expect(changed.courses[0].lessons).not.toBe(first.courses[0].lessons);
		expect(changed.courses[1].lessons).toBe(first.courses[1].lessons);
	});

	it('a cached course does not collect the errors of later reads', () => {
		const files = readContentFiles(process.cwd(), FIXTURE);
		const cache = new Map<string, CourseDef>();
		const withReferences = loadLibrary(files, { courseCache: cache });
		const before = withReferences.courses.map((c) => c.errors.length);
		loadLibrary(files, { courseCache: cache });
		expect(loadLibrary(files, { courseCache: cache }).courses.map((c) => c.errors.length)).toEqual(before);
	});
});
