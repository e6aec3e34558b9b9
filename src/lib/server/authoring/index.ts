// Authoring: drafts written in the studio, review and publishing. A draft is edited in place; submitted it
// waits for a reviewer (a trainer with the reviewer role) who publishes it or sends it back with a comment.
// Nobody approves their own change; a draft with errors cannot be submitted. A published revision never
// changes again: a rollback publishes a copy of an old one. Every step is in the audit log.
// Over 400 lines: every step a trainer or reviewer takes on a revision (edit, check, submit, review,
// publish, roll back, images, GIFT) shares the same guards and states, kept in one reading order;
// files in and out are in ./files.ts, images in ./images.ts, forms in ./forms.ts.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { stringify as toYaml } from 'yaml';
import { audit } from '../audit';
import { connection, db, LOCKS, schema, type Executor } from '../db';
import type { CourseRevision, RevisionFiles } from '../db/schema';
import { DomainError } from '../errors';
import { library, LOCALES, renderLesson, type CourseDef, type Locale } from '../content';
import { formatError, splitFrontmatter, type ContentError } from '../content/frontmatter';
import { refreshLibrary, revisionCourse } from '../content/runtime';
import { syncContent } from '../content/sync';
import { bumpLibrary, nextNumber } from './shipped';
import { cleanSvg, imageType, MAX_IMAGE_BYTES } from './images';
import { folderEntries, revisionFiles, zip } from './files';
import { convertGift, decodeGift, formatReport } from '../quiz/gift';
export { decodeGift };

export interface Actor {
	id: number;
	username: string;
	roles: readonly string[];
}

const OPEN_STATES = ['draft', 'in_review'] as const;
const ID = /^[a-z0-9][a-z0-9-]{1,60}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,60}$/;
/** Names a revision may hold: the course, its lessons and its quiz, in both languages. */
const FILE_NAME = /^(course|quiz|\d{2}-[a-z0-9][a-z0-9-]*)\.(zh-CN|en)\.md$/;

const notFound = () => new DomainError('not-found', 'author_not_found', 'no such revision');

export async function getRevision(id: number, executor: Executor = db): Promise<CourseRevision> {
	const [rev] = await executor.select().from(schema.courseRevision).where(eq(schema.courseRevision.id, id));
	if (!rev) throw notFound();
	return rev;
}

/** A course's revisions, newest first, with the names of author and reviewer. */
export async function history(courseId: string) {
	const revs = await db
		.select({
			id: schema.courseRevision.id,
			number: schema.courseRevision.number,
			state: schema.courseRevision.state,
			source: schema.courseRevision.source,
			version: schema.courseRevision.version,
			authorId: schema.courseRevision.authorId,
			reviewerId: schema.courseRevision.reviewerId,
			reviewComment: schema.courseRevision.reviewComment,
			createdAt: schema.courseRevision.createdAt,
			submittedAt: schema.courseRevision.submittedAt,
			publishedAt: schema.courseRevision.publishedAt
		})
		.from(schema.courseRevision)
		.where(eq(schema.courseRevision.courseId, courseId))
		.orderBy(desc(schema.courseRevision.number));
	const ids = [...new Set(revs.flatMap((r) => [r.authorId, r.reviewerId]).filter((x): x is number => x !== null))];
	const names = ids.length
		? new Map(
				(await db.select({ id: schema.user.id, name: schema.user.displayName }).from(schema.user).where(inArray(schema.user.id, ids))).map(
					(u) => [u.id, u.name]
				)
			)
		: new Map<number, string>();
	return revs.map((r) => ({
		...r,
		author: r.authorId === null ? null : (names.get(r.authorId) ?? null),
		reviewer: r.reviewerId === null ? null : (names.get(r.reviewerId) ?? null)
	}));
}

/** The course's open revision (a draft or one in review), if any. */
export async function openRevision(courseId: string, executor: Executor = db): Promise<CourseRevision | undefined> {
	const [rev] = await executor
		.select()
		.from(schema.courseRevision)
		.where(and(eq(schema.courseRevision.courseId, courseId), inArray(schema.courseRevision.state, [...OPEN_STATES])))
		.orderBy(desc(schema.courseRevision.number))
		.limit(1);
	return rev;
}

/** Open revisions (drafts and those in review) of every course, for the studio's authoring list. */
export async function openRevisions() {
	const rows = await db
		.select({
			courseId: schema.courseRevision.courseId,
			number: schema.courseRevision.number,
			state: schema.courseRevision.state,
			updatedAt: schema.courseRevision.updatedAt,
			author: schema.user.displayName
		})
		.from(schema.courseRevision)
		.leftJoin(schema.user, eq(schema.user.id, schema.courseRevision.authorId))
		.where(inArray(schema.courseRevision.state, [...OPEN_STATES]))
		.orderBy(schema.courseRevision.courseId);
	const lib = library();
	return rows.map((r) => ({
		...r,
		updatedAt: r.updatedAt.toISOString(),
		title: lib.courses.find((c) => c.id === r.courseId)?.title ?? null
	}));
}

/**
 * A revision checked as the library would check it: the course, its errors, `line: message` per file.
 * The files are `rev.files` as given (the text being typed, for a preview), not as last saved.
 */
export async function checkRevision(rev: CourseRevision): Promise<{ course: CourseDef | undefined; errors: ContentError[] }> {
	const loaded = await revisionCourse(db, rev.id, rev.files);
	if (!loaded) return { course: undefined, errors: [{ file: 'course.zh-CN.md', line: 1, message: 'the course cannot be read' }] };
	const prefix = `${loaded.course.dir}/`;
	const errors = loaded.course.errors.map((e) => ({ ...e, file: e.file.startsWith(prefix) ? e.file.slice(prefix.length) : e.file }));
	return { course: loaded.course, errors };
}

function requireDraft(rev: CourseRevision): void {
	if (rev.state !== 'draft') throw new DomainError('conflict', 'author_not_draft', `revision ${rev.number} is ${rev.state}, not a draft`);
}

async function copyImages(executor: Executor, from: number, to: number): Promise<void> {
	await executor.execute(
		sql`insert into revision_image (revision_id, name, content_type, size, alt, bytes) select ${to}, name, content_type, size, alt, bytes from revision_image where revision_id = ${from}`
	);
}

/** Opens a draft of a course from its published revision (or returns the open one). */
export async function startDraft(actor: Actor, courseId: string): Promise<CourseRevision> {
	return db.transaction(async (tx) => {
		const open = await openRevision(courseId, tx);
		if (open) return open;
		const [base] = await tx
			.select()
			.from(schema.courseRevision)
			.where(eq(schema.courseRevision.courseId, courseId))
			.orderBy(sql`${schema.courseRevision.state} = 'published' desc`, desc(schema.courseRevision.number))
			.limit(1);
		if (!base) throw new DomainError('not-found', 'author_not_found', `no course ${courseId}`);
		const [rev] = await tx
			.insert(schema.courseRevision)
			.values({
				courseId,
				number: await nextNumber(tx, courseId),
				dir: base.dir,
				state: 'draft',
				source: 'browser',
				files: base.files,
				version: 'draft',
				basedOn: base.id,
				authorId: actor.id
			})
			.returning();
		await copyImages(tx, base.id, rev.id);
		await audit(
			{ action: 'content.draft.start', targetType: 'course', targetId: courseId, after: { revision: rev.number, basedOn: base.number } },
			tx
		);
		return rev;
	});
}

const quote = (value: string) => JSON.stringify(value);

function courseFile(meta: CourseSettings & { id: string }, locale: Locale, body: string): string {
	const data: Record<string, unknown> = {
		id: meta.id,
		title: meta.title[locale],
		summary: meta.summary[locale],
		hours: meta.hours,
		competencies: meta.competencies,
		level: meta.level,
		passScore: meta.passScore,
		attemptLimit: meta.attemptLimit,
		shuffle: meta.shuffle
	};
	return `---\n${toYaml(data, { lineWidth: 0 }).trimEnd()}\n---\n\n${body.trim()}\n`;
}

export interface CourseSettings {
	title: Record<Locale, string>;
	summary: Record<Locale, string>;
	hours: number;
	competencies: string[];
	level: 'basic' | 'intermediate' | 'advanced';
	passScore: number;
	attemptLimit: number;
	shuffle: boolean;
}

/** Creates a course: its first revision is a draft with the settings and empty lessons and quiz. */
export async function createCourse(actor: Actor, input: { id: string; title: Record<Locale, string> }): Promise<CourseRevision> {
	const id = input.id.trim();
	if (!ID.test(id)) throw new DomainError('invalid', 'author_bad_id', 'use lowercase letters, digits and dashes');
	if (LOCALES.some((l) => !input.title[l]?.trim())) throw new DomainError('invalid', 'author_title_required', 'a title in both languages');
	const lib = library();
	return db.transaction(async (tx) => {
		const [taken] = await tx
			.select({ id: schema.courseRevision.id })
			.from(schema.courseRevision)
			.where(eq(schema.courseRevision.courseId, id))
			.limit(1);
		if (taken || lib.courses.some((c) => c.id === id || c.slug === id))
			throw new DomainError('conflict', 'author_id_taken', `course ${id} exists`);
		const dirs = await tx.select({ dir: schema.courseRevision.dir }).from(schema.courseRevision);
		const positions = [...lib.courses.map((c) => c.position), ...dirs.map((d) => Number.parseInt(d.dir, 10))].filter((p) => p < 90);
		const position = Math.max(0, ...positions) + 1;
		const dir = `${String(position).padStart(2, '0')}-${id}`;
		const settings: CourseSettings = {
			title: { 'zh-CN': input.title['zh-CN'].trim(), en: input.title.en.trim() },
			summary: { 'zh-CN': input.title['zh-CN'].trim(), en: input.title.en.trim() },
			hours: 1,
			competencies: lib.competencies.slice(0, 1).map((c) => c.id),
			level: 'basic',
			passScore: 60,
			attemptLimit: 3,
			shuffle: false
		};
		const files: RevisionFiles = {};
		for (const l of LOCALES) {
			files[`course.${l}.md`] = courseFile({ ...settings, id }, l, settings.title[l]);
			files[`quiz.${l}.md`] = `---\ntitle: ${quote(l === 'en' ? 'Course Quiz' : '课程测验')}\n---\n`;
		}
		const [rev] = await tx
			.insert(schema.courseRevision)
			.values({ courseId: id, number: 1, dir, state: 'draft', source: 'browser', files, version: 'draft', authorId: actor.id })
			.returning();
		await audit({ action: 'content.course.create', targetType: 'course', targetId: id, after: { dir } }, tx);
		return rev;
	});
}

async function writeFiles(
	actor: Actor,
	rev: CourseRevision,
	files: RevisionFiles,
	action: string,
	detail: Record<string, unknown>
): Promise<void> {
	requireDraft(rev);
	await db.transaction(async (tx) => {
		const [row] = await tx
			.update(schema.courseRevision)
			.set({ files, updatedAt: new Date() })
			.where(and(eq(schema.courseRevision.id, rev.id), eq(schema.courseRevision.state, 'draft')))
			.returning({ id: schema.courseRevision.id });
		if (!row) throw new DomainError('conflict', 'author_not_draft', 'the revision is no longer a draft');
		await audit({ action, targetType: 'course', targetId: rev.courseId, after: { revision: rev.number, ...detail } }, tx);
	});
	void actor;
}

/** Saves one file of a draft; returns the check's errors of that file. */
export async function saveFile(actor: Actor, revisionId: number, name: string, text: string): Promise<ContentError[]> {
	const rev = await getRevision(revisionId);
	if (!FILE_NAME.test(name) || rev.files[name] === undefined) throw new DomainError('invalid', 'author_bad_file', `no file ${name}`);
	if (text.length > 200_000) throw new DomainError('invalid', 'author_too_long', 'at most 200,000 characters');
	const files = { ...rev.files, [name]: text.replace(/\r\n?/g, '\n') };
	await writeFiles(actor, rev, files, 'content.draft.save', { file: name });
	const { errors } = await checkRevision({ ...rev, files });
	return errors.filter((e) => e.file === name);
}

/** Rewrites the settings in both course files, keeping each language's overview text. */
export async function saveSettings(actor: Actor, revisionId: number, settings: CourseSettings): Promise<ContentError[]> {
	const rev = await getRevision(revisionId);
	const files = { ...rev.files };
	for (const l of LOCALES) {
		const current = files[`course.${l}.md`] ?? '';
		const body = splitFrontmatter(current, 'course').body;
		files[`course.${l}.md`] = courseFile({ ...settings, id: rev.courseId }, l, body || settings.summary[l]);
	}
	await writeFiles(actor, rev, files, 'content.draft.settings', {});
	const { errors } = await checkRevision({ ...rev, files });
	return errors.filter((e) => e.file.startsWith('course.'));
}

const LESSON = /^(\d{2})-([a-z0-9][a-z0-9-]*)\.(zh-CN|en)\.md$/;

export function lessonsOf(files: RevisionFiles) {
	const bySlug = new Map<string, { slug: string; position: number; retired: boolean; titles: Partial<Record<Locale, string>> }>();
	for (const [name, text] of Object.entries(files)) {
		const m = LESSON.exec(name);
		if (!m) continue;
		const fm = splitFrontmatter(text, name);
		const entry = bySlug.get(m[2]) ?? { slug: m[2], position: Number(m[1]), retired: false, titles: {} };
		entry.titles[m[3] as Locale] = typeof fm.data.title === 'string' ? fm.data.title : '';
		entry.retired ||= fm.data.draft === true;
		bySlug.set(m[2], entry);
	}
	return [...bySlug.values()].sort((a, b) => a.position - b.position);
}

/** Adds a lesson in both languages at the end. */
export async function addLesson(actor: Actor, revisionId: number, input: { slug: string; title: Record<Locale, string> }): Promise<void> {
	const rev = await getRevision(revisionId);
	const slug = input.slug.trim();
	if (!SLUG.test(slug) || /course|quiz|index/.test(slug))
		throw new DomainError('invalid', 'author_bad_slug', 'use lowercase letters, digits and dashes');
	if (LOCALES.some((l) => !input.title[l]?.trim())) throw new DomainError('invalid', 'author_title_required', 'a title in both languages');
	const lessons = lessonsOf(rev.files);
	if (lessons.some((l) => l.slug === slug)) throw new DomainError('conflict', 'author_slug_taken', `lesson ${slug} exists`);
	const position = String(Math.max(0, ...lessons.map((l) => l.position)) + 1).padStart(2, '0');
	const files = { ...rev.files };
	for (const l of LOCALES)
		files[`${position}-${slug}.${l}.md`] = `---\ntitle: ${quote(input.title[l].trim())}\nminutes: 10\n---\n\n${input.title[l].trim()}\n`;
	await writeFiles(actor, rev, files, 'content.lesson.add', { lesson: slug });
}

/** Moves a lesson one place up or down (renumbering the files). */
export async function moveLesson(actor: Actor, revisionId: number, slug: string, direction: 'up' | 'down'): Promise<void> {
	const rev = await getRevision(revisionId);
	const lessons = lessonsOf(rev.files);
	const at = lessons.findIndex((l) => l.slug === slug);
	const to = direction === 'up' ? at - 1 : at + 1;
	if (at < 0) throw new DomainError('not-found', 'author_not_found', `no lesson ${slug}`);
	if (to < 0 || to >= lessons.length) return;
	[lessons[at], lessons[to]] = [lessons[to], lessons[at]];
	const files: RevisionFiles = {};
	for (const [name, text] of Object.entries(rev.files)) if (!LESSON.test(name)) files[name] = text;
	lessons.forEach((lesson, i) => {
		for (const l of LOCALES) {
			const old = Object.keys(rev.files).find((n) => n.endsWith(`-${lesson.slug}.${l}.md`) && LESSON.exec(n)?.[2] === lesson.slug);
			if (old) files[`${String(i + 1).padStart(2, '0')}-${lesson.slug}.${l}.md`] = rev.files[old];
		}
	});
	await writeFiles(actor, rev, files, 'content.lesson.move', { lesson: slug, direction });
}

/** Retires a lesson (hidden from learners, kept in the files) or brings it back. */
export async function retireLesson(actor: Actor, revisionId: number, slug: string, retired: boolean): Promise<void> {
	const rev = await getRevision(revisionId);
	const files = { ...rev.files };
	let found = false;
	for (const [name, text] of Object.entries(rev.files)) {
		if (LESSON.exec(name)?.[2] !== slug) continue;
		found = true;
		const without = text.replace(/^(---\n[\s\S]*?)^draft:.*\n/m, '$1');
		files[name] = retired ? without.replace(/^---\n/, '---\ndraft: true\n') : without;
	}
	if (!found) throw new DomainError('not-found', 'author_not_found', `no lesson ${slug}`);
	await writeFiles(actor, rev, files, retired ? 'content.lesson.retire' : 'content.lesson.restore', { lesson: slug });
}

export interface QuestionInput {
	id: string;
	type: 'single' | 'multiple' | 'true-false' | 'short';
	competency: string;
	stem: Record<Locale, string>;
	/** Options per language, the same right marks in both. */
	options: { text: Record<Locale, string>; correct: boolean }[];
	/** Short answer: accepted answers per language. */
	accepted: Record<Locale, string[]>;
	explanation: Record<Locale, string>;
}

const TRUE_FALSE: Record<Locale, [string, string]> = { 'zh-CN': ['正确', '错误'], en: ['True', 'False'] };

/** One question in the quiz format of one language. */
export function questionMarkdown(q: QuestionInput, locale: Locale): string {
	const lines = [`## ${q.id} · ${q.type} · ${q.competency}`, '', q.stem[locale].trim(), ''];
	if (q.type === 'short') for (const a of q.accepted[locale]) lines.push(`- ${a}`);
	else if (q.type === 'true-false') {
		const right = q.options[0]?.correct ?? true;
		lines.push(`- [${right ? 'x' : ' '}] ${TRUE_FALSE[locale][0]}`, `- [${right ? ' ' : 'x'}] ${TRUE_FALSE[locale][1]}`);
	} else for (const o of q.options) lines.push(`- [${o.correct ? 'x' : ' '}] ${o.text[locale].trim()}`);
	lines.push(
		'',
		...q.explanation[locale]
			.trim()
			.split('\n')
			.map((l) => `> ${l}`.trimEnd()),
		''
	);
	return lines.join('\n');
}

/** Adds (or replaces, by id) a question in both quiz files. A question without a right answer is refused. */
export async function saveQuestion(actor: Actor, revisionId: number, q: QuestionInput): Promise<ContentError[]> {
	const rev = await getRevision(revisionId);
	if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(q.id)) throw new DomainError('invalid', 'author_bad_question_id', 'letters, digits, - and _');
	if (LOCALES.some((l) => !q.stem[l].trim() || !q.explanation[l].trim()))
		throw new DomainError('invalid', 'author_question_text', 'stem and explanation in both languages');
	if (q.type === 'short' ? LOCALES.some((l) => q.accepted[l].length === 0) : q.type !== 'true-false' && !q.options.some((o) => o.correct))
		throw new DomainError('invalid', 'author_no_right_answer', 'mark a right answer');
	if ((q.type === 'single' || q.type === 'multiple') && q.options.length < 2)
		throw new DomainError('invalid', 'author_two_options', 'at least two options');
	if (q.type === 'single' && q.options.filter((o) => o.correct).length !== 1)
		throw new DomainError('invalid', 'author_one_right', 'exactly one right answer');
	const files = { ...rev.files };
	for (const l of LOCALES) {
		const name = `quiz.${l}.md`;
		const text = files[name] ?? `---\ntitle: ${quote(l === 'en' ? 'Course Quiz' : '课程测验')}\n---\n`;
		const block = questionMarkdown(q, l);
		const heading = new RegExp(`^## ${q.id.replace(/[-_]/g, '\\$&')} ·[^\\n]*\\n[\\s\\S]*?(?=^## |(?![\\s\\S]))`, 'm');
		files[name] = heading.test(text) ? text.replace(heading, `${block}\n`) : `${text.trimEnd()}\n\n${block}`;
	}
	await writeFiles(actor, rev, files, 'content.question.save', { question: q.id });
	const { errors } = await checkRevision({ ...rev, files });
	return errors.filter((e) => e.file.startsWith('quiz.'));
}

/** Sends a draft to review; refused while the check finds errors. */
export async function submit(actor: Actor, revisionId: number): Promise<void> {
	const rev = await getRevision(revisionId);
	requireDraft(rev);
	const { errors } = await checkRevision(rev);
	if (errors.length)
		throw new DomainError('invalid', 'author_has_errors', `fix ${errors.length} problem(s) first:\n${errors.map(formatError).join('\n')}`, {
			count: errors.length
		});
	await db.transaction(async (tx) => {
		await tx
			.update(schema.courseRevision)
			.set({ state: 'in_review', submittedAt: new Date(), reviewComment: null })
			.where(eq(schema.courseRevision.id, rev.id));
		await audit({ action: 'content.review.submit', targetType: 'course', targetId: rev.courseId, after: { revision: rev.number } }, tx);
	});
}

function requireReviewer(actor: Actor): void {
	if (!actor.roles.includes('reviewer')) throw new DomainError('forbidden', 'author_not_reviewer', 'only a reviewer may do this');
}

async function publishInside(tx: Executor, rev: CourseRevision, reviewerId: number): Promise<void> {
	const now = new Date();
	await tx
		.update(schema.courseRevision)
		.set({ state: 'retired', retiredAt: now })
		.where(and(eq(schema.courseRevision.courseId, rev.courseId), eq(schema.courseRevision.state, 'published')));
	await tx
		.update(schema.courseRevision)
		.set({ state: 'published', publishedAt: now, reviewerId, version: rev.version })
		.where(eq(schema.courseRevision.id, rev.id));
	await bumpLibrary(tx);
}

/** After a publish: this server's library and the course tables follow at once (others on their next request). */
async function afterPublish(): Promise<void> {
	const lib = await refreshLibrary(db, true);
	await connection().exclusive(LOCKS.content, (locked) => syncContent(locked, lib));
}

/** A reviewer publishes a revision in review, or sends it back to draft with a comment. */
export async function review(actor: Actor, revisionId: number, decision: 'approve' | 'return', comment: string): Promise<void> {
	const rev = await getRevision(revisionId);
	requireReviewer(actor);
	if (rev.state !== 'in_review') throw new DomainError('conflict', 'author_not_in_review', `revision ${rev.number} is ${rev.state}`);
	if (rev.authorId === actor.id) throw new DomainError('forbidden', 'author_own_change', 'nobody approves their own change');
	if (decision === 'return') {
		if (!comment.trim()) throw new DomainError('invalid', 'author_comment_required', 'say what to change');
		await db.transaction(async (tx) => {
			await tx
				.update(schema.courseRevision)
				.set({ state: 'draft', reviewComment: comment.trim().slice(0, 4000), reviewerId: actor.id })
				.where(eq(schema.courseRevision.id, rev.id));
			await audit(
				{
					action: 'content.review.return',
					targetType: 'course',
					targetId: rev.courseId,
					after: { revision: rev.number, comment: comment.trim() }
				},
				tx
			);
		});
		return;
	}
	const { course, errors } = await checkRevision(rev);
	if (!course || errors.length) throw new DomainError('invalid', 'author_has_errors', 'the revision has errors', { count: errors.length });
	await db.transaction(async (tx) => {
		await publishInside(tx, { ...rev, version: course.version }, actor.id);
		if (comment.trim())
			await tx
				.update(schema.courseRevision)
				.set({ reviewComment: comment.trim().slice(0, 4000) })
				.where(eq(schema.courseRevision.id, rev.id));
		await audit(
			{
				action: 'content.review.publish',
				targetType: 'course',
				targetId: rev.courseId,
				after: { revision: rev.number, version: course.version }
			},
			tx
		);
	});
	await afterPublish();
}

/** Rolls back: an old revision is published again as a new revision (its copy). */
export async function republish(actor: Actor, revisionId: number): Promise<CourseRevision> {
	const old = await getRevision(revisionId);
	requireReviewer(actor);
	if (old.state !== 'retired' && old.state !== 'published')
		throw new DomainError('conflict', 'author_not_published', 'only a published revision can be published again');
	const { course, errors } = await checkRevision(old);
	if (!course || errors.length) throw new DomainError('invalid', 'author_has_errors', 'the revision has errors', { count: errors.length });
	const rev = await db.transaction(async (tx) => {
		const [copy] = await tx
			.insert(schema.courseRevision)
			.values({
				courseId: old.courseId,
				number: await nextNumber(tx, old.courseId),
				dir: old.dir,
				state: 'in_review',
				source: 'browser',
				files: old.files,
				version: course.version,
				basedOn: old.id,
				authorId: actor.id,
				submittedAt: new Date()
			})
			.returning();
		await copyImages(tx, old.id, copy.id);
		await publishInside(tx, copy, actor.id);
		await audit(
			{ action: 'content.rollback', targetType: 'course', targetId: old.courseId, after: { revision: copy.number, copyOf: old.number } },
			tx
		);
		return copy;
	});
	await afterPublish();
	return rev;
}

/** Discards a draft (nothing of it was ever published). */
export async function discard(actor: Actor, revisionId: number): Promise<void> {
	const rev = await getRevision(revisionId);
	requireDraft(rev);
	await db.transaction(async (tx) => {
		await tx.delete(schema.courseRevision).where(and(eq(schema.courseRevision.id, rev.id), eq(schema.courseRevision.state, 'draft')));
		await audit({ action: 'content.draft.discard', targetType: 'course', targetId: rev.courseId, after: { revision: rev.number } }, tx);
	});
	void actor;
}

/** A lesson or overview preview through the learners' pipeline (studio image paths). */
export function previewHtml(text: string, course: Pick<CourseDef, 'slug' | 'dir' | 'sources'>): string {
	return renderLesson(text, course).replace(/src="\/courses\//g, 'src="/studio/courses/');
}

const PARITY = /zh-CN|\ben\b|translation|differs/;

/** Everything the course's authoring page shows. */
export async function workspace(actor: Actor, courseId: string) {
	const revs = await history(courseId);
	if (!revs.length) throw new DomainError('not-found', 'author_not_found', `no course ${courseId}`);
	const open = await openRevision(courseId);
	const lib = library();
	let draft = null;
	if (open) {
		const { course, errors } = await checkRevision(open);
		const images = await db
			.select({
				name: schema.revisionImage.name,
				contentType: schema.revisionImage.contentType,
				size: schema.revisionImage.size,
				alt: schema.revisionImage.alt
			})
			.from(schema.revisionImage)
			.where(eq(schema.revisionImage.revisionId, open.id));
		draft = {
			id: open.id,
			number: open.number,
			state: open.state,
			mine: open.authorId === actor.id,
			reviewComment: open.reviewComment,
			files: Object.keys(open.files).sort(),
			lessons: lessonsOf(open.files),
			questions: (course?.quiz['zh-CN'] ?? []).map((q) => ({
				id: q.id,
				type: q.type,
				competency: q.competency,
				stem: q.stem,
				en: course?.quiz.en?.find((e) => e.id === q.id)?.stem ?? ''
			})),
			images,
			settings: course
				? {
						title: course.title,
						summary: course.summary,
						hours: course.hours,
						level: course.level,
						passScore: course.passScore,
						attemptLimit: course.attemptLimit,
						shuffle: course.shuffle,
						competencies: course.competencies
					}
				: null,
			errors: errors.map((e) => ({ file: e.file, line: e.line, message: e.message })),
			parity: errors.filter((e) => PARITY.test(e.message)).map((e) => `${e.file}:${e.line}: ${e.message}`)
		};
	}
	const published = lib.courses.find((c) => c.id === courseId);
	return {
		courseId,
		slug: published?.slug ?? null,
		title: published?.title ?? draft?.settings?.title ?? { 'zh-CN': courseId, en: courseId },
		history: revs.map((r) => ({
			...r,
			createdAt: r.createdAt.toISOString(),
			submittedAt: r.submittedAt?.toISOString() ?? null,
			publishedAt: r.publishedAt?.toISOString() ?? null
		})),
		draft,
		reviewer: actor.roles.includes('reviewer'),
		competencies: lib.competencies.map((c) => ({ id: c.id, name: c.name }))
	};
}

/** A file of the open draft (or of the published revision) with the other language beside it and a preview. */
export async function fileView(courseId: string, name: string, text?: string) {
	const open = await openRevision(courseId);
	if (!open || open.files[name] === undefined) throw new DomainError('not-found', 'author_not_found', `no file ${name}`);
	const body = text ?? open.files[name];
	const other = name.replace(/\.(zh-CN|en)\.md$/, (_, l: string) => (l === 'en' ? '.zh-CN.md' : '.en.md'));
	const { course, errors } = await checkRevision(text === undefined ? open : { ...open, files: { ...open.files, [name]: text } });
	const slug = open.dir.replace(/^\d+-/, '');
	const lesson = /^\d{2}-/.test(name);
	return {
		revision: { id: open.id, number: open.number, state: open.state },
		name,
		text: body,
		other: other !== name && open.files[other] !== undefined ? { name: other, text: open.files[other] } : null,
		previewHtml: lesson
			? previewHtml(body, { slug, dir: `content/courses/${open.dir}`, sources: course?.sources ?? {} }).replaceAll(
					`src="/studio/courses/${slug}/images/`,
					`src="/studio/edit/${courseId}/images/`
				)
			: null,
		errors: errors.filter((e) => e.file === name).map((e) => `${e.line}: ${e.message}`)
	};
}

/** The open draft's image (or the published revision's) for previews. */
export async function draftImage(courseId: string, name: string) {
	const open =
		(await openRevision(courseId)) ??
		(
			await db
				.select()
				.from(schema.courseRevision)
				.where(and(eq(schema.courseRevision.courseId, courseId), eq(schema.courseRevision.state, 'published')))
		)[0];
	if (!open) return undefined;
	const [image] = await db
		.select()
		.from(schema.revisionImage)
		.where(and(eq(schema.revisionImage.revisionId, open.id), eq(schema.revisionImage.name, name)));
	return image ? { contentType: image.contentType, bytes: new Uint8Array(image.bytes) } : undefined;
}

/** Stores an image in the draft. Wrong type, too big or no alt text: refused with the reason. */
export async function uploadImage(
	actor: Actor,
	revisionId: number,
	file: { name: string; bytes: Uint8Array },
	alt: string
): Promise<string> {
	const rev = await getRevision(revisionId);
	requireDraft(rev);
	if (!alt.trim()) throw new DomainError('invalid', 'author_alt_required', 'say what the picture shows (alt text)');
	if (file.bytes.length === 0) throw new DomainError('invalid', 'author_no_file', 'choose a file');
	if (file.bytes.length > MAX_IMAGE_BYTES) throw new DomainError('invalid', 'author_image_too_big', `at most ${MAX_IMAGE_BYTES / 1024} KB`);
	const name = file.name
		.toLowerCase()
		.replace(/[^a-z0-9._-]+/g, '-')
		.replace(/^-+/, '');
	const type = imageType(name, file.bytes);
	if (!type || !/^[a-z0-9][a-z0-9._-]*\.(png|jpe?g|webp|svg)$/.test(name))
		throw new DomainError('invalid', 'author_image_type', 'PNG, JPEG, WebP or SVG only');
	const bytes = type === 'image/svg+xml' ? new TextEncoder().encode(cleanSvg(new TextDecoder().decode(file.bytes))) : file.bytes;
	await db.transaction(async (tx) => {
		await tx
			.insert(schema.revisionImage)
			.values({ revisionId: rev.id, name, contentType: type, size: bytes.length, alt: alt.trim(), bytes })
			.onConflictDoUpdate({
				target: [schema.revisionImage.revisionId, schema.revisionImage.name],
				set: { contentType: type, size: bytes.length, alt: alt.trim(), bytes }
			});
		await tx.update(schema.courseRevision).set({ updatedAt: new Date() }).where(eq(schema.courseRevision.id, rev.id));
		await audit(
			{
				action: 'content.image.upload',
				targetType: 'course',
				targetId: rev.courseId,
				after: { revision: rev.number, image: name, size: bytes.length }
			},
			tx
		);
	});
	void actor;
	return name;
}

/** Line diff of two texts (longest common subsequence), as rows of kept, removed and added lines. */
export function lineDiff(a: string, b: string): { kind: 'same' | 'del' | 'add'; text: string }[] {
	const x = a.split('\n');
	const y = b.split('\n');
	if (x.length * y.length > 4_000_000)
		return [...x.map((text) => ({ kind: 'del' as const, text })), ...y.map((text) => ({ kind: 'add' as const, text }))];
	const dp = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
	for (let i = x.length - 1; i >= 0; i--)
		for (let j = y.length - 1; j >= 0; j--) dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
	const out: { kind: 'same' | 'del' | 'add'; text: string }[] = [];
	let i = 0;
	let j = 0;
	while (i < x.length && j < y.length) {
		if (x[i] === y[j]) {
			out.push({ kind: 'same', text: x[i] });
			i++;
			j++;
		} else if (dp[i + 1][j] >= dp[i][j + 1]) out.push({ kind: 'del', text: x[i++] });
		else out.push({ kind: 'add', text: y[j++] });
	}
	while (i < x.length) out.push({ kind: 'del', text: x[i++] });
	while (j < y.length) out.push({ kind: 'add', text: y[j++] });
	return out;
}

/** Two revisions side by side: per file, the changed lines (files only in one of them too). */
export async function diff(courseId: string, fromNumber: number, toNumber: number) {
	const revs = await db
		.select()
		.from(schema.courseRevision)
		.where(and(eq(schema.courseRevision.courseId, courseId), inArray(schema.courseRevision.number, [fromNumber, toNumber])));
	const from = revs.find((r) => r.number === fromNumber);
	const to = revs.find((r) => r.number === toNumber);
	if (!from || !to) throw new DomainError('not-found', 'author_not_found', 'no such revisions');
	const names = [...new Set([...Object.keys(from.files), ...Object.keys(to.files)])].sort();
	return {
		from: from.number,
		to: to.number,
		files: names
			.filter((n) => from.files[n] !== to.files[n])
			.map((n) => ({
				name: n,
				rows: lineDiff(from.files[n] ?? '', to.files[n] ?? '').filter(
					(r, i, all) => r.kind !== 'same' || all.slice(Math.max(0, i - 2), i + 3).some((o) => o.kind !== 'same')
				)
			}))
	};
}

/** A revision (by number) as a zip of its files. */
export async function revisionZip(courseId: string, number: number): Promise<{ name: string; bytes: Uint8Array }> {
	const [rev] = await db
		.select({ id: schema.courseRevision.id })
		.from(schema.courseRevision)
		.where(and(eq(schema.courseRevision.courseId, courseId), eq(schema.courseRevision.number, number)));
	if (!rev) throw notFound();
	const files = await revisionFiles(db, courseId, rev.id);
	return { name: `${files.dir}-r${number}.zip`, bytes: zip(folderEntries(files)) };
}

/**
 * A Moodle GIFT bank converted into the draft's quiz (both language files get the converted text, which
 * the parity list then shows), with the conversion report. Duplicate ids are the check's errors.
 */
export async function importGift(
	actor: Actor,
	revisionId: number,
	text: string,
	idPrefix: string
): Promise<{ count: number; report: string; errors: ContentError[] }> {
	const rev = await getRevision(revisionId);
	requireDraft(rev);
	if (idPrefix && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(idPrefix))
		throw new DomainError('invalid', 'author_bad_question_id', 'prefix: lowercase letters, digits and dashes');
	const lib = library();
	const conversion = convertGift(text, {
		competencies: lib.competencies.map((c) => c.id),
		defaultCompetency: lib.competencies[0]?.id,
		idPrefix: idPrefix || undefined
	});
	if (!conversion.converted.length) throw new DomainError('invalid', 'author_gift_empty', formatReport(conversion));
	const body = splitFrontmatter(conversion.markdown, 'gift').body.trim();
	const files = { ...rev.files };
	for (const l of LOCALES) files[`quiz.${l}.md`] = `${(files[`quiz.${l}.md`] ?? '---\ntitle: Quiz\n---\n').trimEnd()}\n\n${body}\n`;
	await writeFiles(actor, rev, files, 'content.gift.import', { questions: conversion.converted.length });
	const { errors } = await checkRevision({ ...rev, files });
	return { count: conversion.converted.length, report: formatReport(conversion), errors: errors.filter((e) => e.file.startsWith('quiz.')) };
}
