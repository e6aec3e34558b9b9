// Concrete values for route parameters, read from (or made in) the demo organisation's database, so
// the matrix asks real questions: a real course, a real certificate of the demo learner, a person and
// a department inside the East District (hr-east's scope), a fresh assignment for each destructive call.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { courseRoutes } from '../reliability/scenarios';

export interface Fixtures {
	/** Values for [param] segments (the "allowed" case of every role that may use the route). */
	params: Record<string, string>;
	/** Ids for object-level checks. */
	ids: {
		learnerId: number;
		/** Someone outside the East District (hr-east may not see them). */
		outsiderId: number;
		eastDeptId: number;
		westDeptId: number;
		/** A certificate of someone in the West District. */
		outsiderCertificate: string;
		/** A message in the demo learner's inbox. */
		learnerMessage: number;
	};
	/** A new assignment, for calls that end or edit one. */
	freshAssignment(): Promise<number>;
	/** A new learner account nobody else uses, for calls that deactivate, reset or edit one. */
	freshUser(): Promise<number>;
	/** A new department under the root, for calls that rename, move or deactivate one. */
	freshDepartment(): Promise<number>;
	/** A previewed (not applied) staff import with no rows. */
	freshImportBatch(): Promise<number>;
}

export async function loadFixtures(sql: postgres.Sql): Promise<Fixtures> {
	const course = courseRoutes()[0];
	const images = readdirSync(path.resolve(import.meta.dirname, '../../content/courses'))
		.filter((d) => d.endsWith(`-${course.slug}`))
		.flatMap((d) => readdirSync(path.resolve(import.meta.dirname, '../../content/courses', d, 'images')));
	const [learner] = await sql<{ id: number; department_id: number }[]>`select id, department_id from "user" where username = 'learner'`;
	const depts = new Map((await sql<{ code: string; id: number }[]>`select code, id from department`).map((d) => [d.code, d.id]));
	const [outsider] = await sql<{ id: number }[]>`
		select u.id from "user" u join department d on d.id = u.department_id where d.code like 'WEST-%' and u.status = 'active' order by u.id limit 1`;
	const [competency] = await sql<{ id: string }[]>`select id from competency order by position limit 1`;
	const [{ id: courseId }] = await sql<{ id: string }[]>`select id from course where slug = ${course.slug}`;
	const certificate = async (userId: number, departmentId: number) => {
		const [found] = await sql<{ code: string }[]>`select certificate_code as code from completion where user_id = ${userId} limit 1`;
		if (found) return found.code;
		const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
		const code = `fixture${Array.from(randomBytes(16), (b) => alphabet[b % 32]).join('')}`;
		await sql`insert into completion (user_id, course_id, year, department_id, hours, score, content_version, certificate_code)
			values (${userId}, ${courseId}, extract(year from now())::int, ${departmentId}, 1, 100, 'fixture', ${code})`;
		return code;
	};
	const [outsiderRow] = await sql<{ department_id: number }[]>`select department_id from "user" where id = ${outsider.id}`;
	const [admin] = await sql<{ id: number }[]>`select id from "user" where username = 'trainer'`;
	return {
		params: {
			course: course.slug,
			lesson: course.lessons[0],
			file: images[0],
			name: images[0],
			code: await certificate(learner.id, learner.department_id),
			id: String(depts.get('EAST-GSC')),
			department: String(depts.get('EAST')),
			competency: competency.id
		},
		ids: {
			learnerId: learner.id,
			outsiderId: outsider.id,
			eastDeptId: depts.get('EAST')!,
			westDeptId: depts.get('WEST')!,
			outsiderCertificate: await certificate(outsider.id, outsiderRow.department_id),
			learnerMessage: (
				await sql<{ id: number }[]>`
				insert into message (user_id, kind, params) values (${learner.id}, 'certificate',
					${sql.json({ courseId, slug: course.slug, titleZh: '课程', titleEn: 'Course', code: 'fixturemessage000' })}) returning id`
			)[0].id
		},
		async freshUser() {
			const [row] = await sql<{ id: number }[]>`
				insert into "user" (username, display_name, department_id, roles) values (${`fixture-${randomBytes(6).toString('hex')}`}, '测试账号', ${depts.get('EAST-GSC')!}, '{learner}') returning id`;
			return row.id;
		},
		async freshDepartment() {
			const code = `FX-${randomBytes(4).toString('hex').toUpperCase()}`;
			const [row] = await sql<{ id: number }[]>`
				insert into department (code, name_zh, name_en, parent_id, path, depth) values (${code}, '测试部门', 'Fixture department', ${depts.get('CITY')!}, '/', 1) returning id`;
			const [root] = await sql<{ path: string }[]>`select path from department where id = ${depts.get('CITY')!}`;
			await sql`update department set path = ${`${root.path}${row.id}/`} where id = ${row.id}`;
			return row.id;
		},
		async freshImportBatch() {
			const [row] = await sql<{ id: number }[]>`
				insert into import_batch (source, file_name, file_hash, file_size, format, rows) values ('web', 'fixture.csv', ${randomBytes(32).toString('hex')}, 10, 'csv', '[]'::jsonb) returning id`;
			return row.id;
		},
		async freshAssignment() {
			const [row] = await sql<{ id: number }[]>`
				insert into assignment (course_id, department_id, due_date, created_by) values (${courseId}, ${depts.get('EAST-GSC')!}, (now() + interval '60 days')::date, ${admin.id}) returning id`;
			return row.id;
		}
	};
}
