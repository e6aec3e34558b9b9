// Test data builders: small, explicit, each returns what it made.
import { eq } from 'drizzle-orm';
import { db, schema } from '../../src/lib/server/db';
import { hashPassword } from '../../src/lib/server/auth/password';
import type { Role } from '../../src/lib/server/db/schema';
import { loadLibrary, type Library } from '../../src/lib/server/content/library';
import { readContentFiles } from '../../src/lib/server/content/files';
import { syncContent } from '../../src/lib/server/content/sync';

let counter = 0;
const next = () => ++counter;

/** A department under `parent` (or a root), with its materialised path. */
export async function createDepartment(
	opts: { code?: string; nameZh?: string; nameEn?: string; parent?: { id: number; path: string; depth: number } } = {}
) {
	const n = next();
	const [row] = await db
		.insert(schema.department)
		.values({
			code: opts.code ?? `D${n}`,
			nameZh: opts.nameZh ?? `部门${n}`,
			nameEn: opts.nameEn ?? `Department ${n}`,
			parentId: opts.parent?.id ?? null,
			path: '/',
			depth: opts.parent ? opts.parent.depth + 1 : 0
		})
		.returning();
	const path = `${opts.parent?.path ?? '/'}${row.id}/`;
	const [updated] = await db.update(schema.department).set({ path }).where(eq(schema.department.id, row.id)).returning();
	return updated;
}

let cachedHash: string | undefined;

/** A user; password `test-password` unless `password: null`. */
export async function createUser(opts: {
	username?: string;
	displayName?: string;
	department: { id: number };
	roles?: Role[];
	hrScope?: { id: number };
	password?: string | null;
	status?: 'active' | 'pending' | 'inactive';
}) {
	const n = next();
	let passwordHash: string | null = null;
	if (opts.password !== null) {
		if (opts.password && opts.password !== 'test-password') passwordHash = await hashPassword(opts.password);
		else passwordHash = cachedHash ??= await hashPassword('test-password');
	}
	const [row] = await db
		.insert(schema.user)
		.values({
			username: opts.username ?? `u${n}`,
			displayName: opts.displayName ?? `用户${n}`,
			departmentId: opts.department.id,
			roles: opts.roles ?? ['learner'],
			hrScopeId: opts.hrScope?.id ?? null,
			passwordHash,
			status: opts.status ?? 'active'
		})
		.returning();
	return row;
}

/** Loads a content folder (default: the fixture library under tests/fixtures/content) and syncs it. */
export async function syncLibrary(dir = 'tests/fixtures/content'): Promise<Library> {
	const files = Object.fromEntries(Object.entries(readContentFiles(process.cwd(), dir)));
	const library = loadLibrary(files);
	await syncContent(db, library);
	return library;
}
