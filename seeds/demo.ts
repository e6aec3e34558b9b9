// The demo organisation: a city government with two districts, ~300 staff, the four demo accounts
// and twelve months of learning history. Plain TS with relative imports (runs outside Vite too).
import { hash } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../src/lib/server/auth/argon2';
import { count, eq, sql } from 'drizzle-orm';
import type { Database } from '../src/lib/server/db';
import * as schema from '../src/lib/server/db/schema';
import type { Library } from '../src/lib/server/content/library';
import { recordDemoAccounts } from '../src/lib/server/auth/demo';
import { chineseName, createRandom, emailFor } from './random';
import { seedHistory } from './history';

export const DEMO_PASSWORD = 'govlearn-demo';

interface DeptSeed {
	code: string;
	zh: string;
	en: string;
	children?: DeptSeed[];
}

export const DEMO_TREE: DeptSeed = {
	code: 'CITY',
	zh: '某市人民政府',
	en: 'City Government',
	children: [
		{ code: 'GOV-OFFICE', zh: '市政府办公室', en: 'General Office' },
		{
			code: 'GSB',
			zh: '市政务服务管理局',
			en: 'Government Service Bureau',
			children: [
				{ code: 'GSB-WINDOW', zh: '综合窗口科', en: 'One-Window Service Section' },
				{ code: 'GSB-APPROVAL', zh: '审批服务科', en: 'Approval Services Section' }
			]
		},
		{
			code: 'BIGDATA',
			zh: '市大数据管理局',
			en: 'Big Data Bureau',
			children: [
				{ code: 'BIGDATA-RES', zh: '数据资源科', en: 'Data Resources Section' },
				{ code: 'BIGDATA-SEC', zh: '网络安全科', en: 'Cybersecurity Section' }
			]
		},
		{
			code: 'HOTLINE',
			zh: '市12345热线服务中心',
			en: '12345 Hotline Centre',
			children: [
				{ code: 'HOTLINE-INTAKE', zh: '受理科', en: 'Intake Section' },
				{ code: 'HOTLINE-SUPERVISE', zh: '督办科', en: 'Follow-up Section' }
			]
		},
		{
			code: 'HRSS',
			zh: '市人力资源和社会保障局',
			en: 'Human Resources and Social Security Bureau',
			children: [
				{ code: 'HRSS-PENSION', zh: '社会保险科', en: 'Social Insurance Section' },
				{ code: 'HRSS-EMPLOY', zh: '就业促进科', en: 'Employment Section' }
			]
		},
		{ code: 'MEDINS', zh: '市医疗保障局', en: 'Medical Insurance Bureau' },
		{ code: 'EDU', zh: '市教育局', en: 'Education Bureau' },
		{
			code: 'PSB',
			zh: '市公安局',
			en: 'Public Security Bureau',
			children: [{ code: 'PSB-HUKOU', zh: '户政科', en: 'Household Registration Section' }]
		},
		{ code: 'SAMR', zh: '市市场监督管理局', en: 'Market Regulation Bureau' },
		{ code: 'HOUSING', zh: '市住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau' },
		{
			code: 'EAST',
			zh: '东城区人民政府',
			en: 'East District Government',
			children: [
				{ code: 'EAST-OFFICE', zh: '东城区政府办公室', en: 'East District General Office' },
				{ code: 'EAST-GSC', zh: '东城区政务服务中心', en: 'East District Service Centre' },
				{ code: 'EAST-HEALTH', zh: '东城区卫生健康局', en: 'East District Health Bureau' },
				{ code: 'EAST-STREET', zh: '东城区滨河街道办事处', en: 'East District Riverside Subdistrict Office' }
			]
		},
		{
			code: 'WEST',
			zh: '西城区人民政府',
			en: 'West District Government',
			children: [
				{ code: 'WEST-OFFICE', zh: '西城区政府办公室', en: 'West District General Office' },
				{ code: 'WEST-GSC', zh: '西城区政务服务中心', en: 'West District Service Centre' },
				{ code: 'WEST-CIVIL', zh: '西城区民政局', en: 'West District Civil Affairs Bureau' },
				{ code: 'WEST-STREET', zh: '西城区南山街道办事处', en: 'West District Nanshan Subdistrict Office' }
			]
		}
	]
};

export const DEMO_ACCOUNTS = [
	{ username: 'admin', name: '系统管理员', department: 'GOV-OFFICE', roles: ['admin', 'learner'], scope: null },
	{ username: 'trainer', name: '周培训', department: 'BIGDATA', roles: ['trainer', 'learner'], scope: null },
	// A second trainer with the reviewer right: publishes what trainers submit (nobody approves their own change).
	{ username: 'reviewer', name: '郑审核', department: 'BIGDATA', roles: ['trainer', 'reviewer', 'learner'], scope: null },
	{ username: 'hr', name: '何人事', department: 'HRSS', roles: ['hr', 'learner'], scope: 'CITY' },
	{ username: 'hr-east', name: '吴东城', department: 'EAST-OFFICE', roles: ['hr', 'learner'], scope: 'EAST' },
	{ username: 'learner', name: '林晓', department: 'EAST-GSC', roles: ['learner'], scope: null }
] as const;

/** What the sign-in page lists (and the server prints at start): the demo accounts and their password. */
export function demoAccountsShown() {
	return { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS.map((a) => ({ username: a.username, roles: [...a.roles] })) };
}

/** Inserts a department tree, computing materialised paths; returns code → id. */
export async function insertTree(db: Database, root: DeptSeed): Promise<Map<string, number>> {
	const ids = new Map<string, number>();
	const visit = async (node: DeptSeed, parent: { id: number; path: string; depth: number } | null, position: number) => {
		const [row] = await db
			.insert(schema.department)
			.values({
				code: node.code,
				nameZh: node.zh,
				nameEn: node.en,
				parentId: parent?.id ?? null,
				path: '/',
				depth: parent ? parent.depth + 1 : 0,
				position
			})
			.returning({ id: schema.department.id });
		const path = `${parent?.path ?? '/'}${row.id}/`;
		await db.update(schema.department).set({ path }).where(eq(schema.department.id, row.id));
		ids.set(node.code, row.id);
		for (const [i, child] of (node.children ?? []).entries())
			await visit(child, { id: row.id, path, depth: parent ? parent.depth + 1 : 0 }, i);
	};
	await visit(root, null, 0);
	return ids;
}

function leaves(node: DeptSeed): DeptSeed[] {
	return node.children?.length ? [node, ...node.children.flatMap(leaves)] : [node];
}

/** Seeds the demo organisation when the database has no users; says whether the demo is there. */
export async function seedDemoIfEmpty(db: Database, library: Library, now = new Date()): Promise<{ seeded: boolean; present: boolean }> {
	const [{ n }] = await db.select({ n: count() }).from(schema.user);
	if (n > 0) {
		const [flag] = await db.select().from(schema.setting).where(eq(schema.setting.key, 'demo'));
		// Seeded before the sign-in page read its list from the setting table: write the list now.
		if (flag?.value === 'true') await recordDemoAccounts(db, demoAccountsShown());
		return { seeded: false, present: flag?.value === 'true' };
	}
	await db.transaction(async (tx) => {
		const t = tx as unknown as Database;
		const random = createRandom(20261125);
		const ids = await insertTree(t, DEMO_TREE);
		// One hash for every demo account: they share the published demo password anyway.
		const passwordHash = await hash(DEMO_PASSWORD, ARGON2_OPTIONS);
		const accounts = DEMO_ACCOUNTS.map((a) => ({
			username: a.username,
			displayName: a.name,
			email: `${a.username}@gov.example.cn`,
			departmentId: ids.get(a.department)!,
			roles: [...a.roles],
			hrScopeId: a.scope ? ids.get(a.scope)! : null,
			passwordHash,
			locale: null
		}));
		const units = leaves(DEMO_TREE).filter((d) => d.code !== 'CITY');
		const staff = [];
		let number = 10001;
		for (const unit of units) {
			const size = unit.children?.length ? random.int(3, 6) : random.int(8, 16);
			for (let i = 0; i < size; i++) {
				const username = `G${number++}`;
				staff.push({
					username,
					displayName: chineseName(random),
					email: random.chance(0.8) ? emailFor(random, username) : null,
					departmentId: ids.get(unit.code)!,
					roles: ['learner'],
					hrScopeId: null,
					passwordHash,
					locale: null
				});
			}
		}
		await tx.insert(schema.user).values([...accounts, ...staff]);
		await tx.insert(schema.setting).values({ key: 'demo', value: 'true' }).onConflictDoNothing();
		await recordDemoAccounts(tx, demoAccountsShown());
		await tx.insert(schema.setting).values({ key: 'annual_target_hours', value: '50' }).onConflictDoNothing();
		await seedHistory(t, library, ids, random, now);
	});
	await db.execute(sql`analyze`);
	return { seeded: true, present: true };
}
