import { db, rows, sql } from '../db';
import { likePrefix, nameSql, type Context } from './context';

export interface TreeDept {
	id: number;
	code: string;
	name: string;
	depth: number;
	parentId: number | null;
	hasChildren: boolean;
	/** Its children are shown. */
	expanded: boolean;
	/** Depth below the report root (0 = the root). */
	level: number;
}

/**
 * The rows of a tree report: the root, its children, and the children of every expanded department
 * (ids in `expand` outside the subtree, or under a collapsed parent, are ignored). In display order.
 */
export async function visibleTree(ctx: Context, expand: number[]): Promise<TreeDept[]> {
	const open = expand.length
		? sql.join(
				expand.map((id) => sql`${id}`),
				sql`, `
			)
		: sql`null`;
	const found = await rows<{
		id: number;
		code: string;
		name: string;
		depth: number;
		parent_id: number | null;
		position: number;
		has_children: boolean;
	}>(
		db,
		sql`select d.id, d.code, ${nameSql(ctx.locale)} as name, d.depth, d.parent_id, d.position,
			exists (select 1 from department c where c.parent_id = d.id) as has_children
		from department d
		where d.path like ${likePrefix(ctx.root.path)} and (d.id = ${ctx.root.id} or d.parent_id = ${ctx.root.id} or d.parent_id in (${open}))
		order by d.position, d.code`
	);
	const opened = new Set(expand);
	const children = new Map<number, typeof found>();
	for (const r of found) {
		const parent = r.parent_id === null ? -1 : Number(r.parent_id);
		if (!children.has(parent)) children.set(parent, []);
		children.get(parent)!.push(r);
	}
	const out: TreeDept[] = [];
	const visit = (r: (typeof found)[number], level: number) => {
		const id = Number(r.id);
		const isOpen = level === 0 || opened.has(id);
		out.push({
			id,
			code: r.code,
			name: r.name,
			depth: Number(r.depth),
			parentId: r.parent_id === null ? null : Number(r.parent_id),
			hasChildren: Boolean(r.has_children),
			expanded: isOpen && Boolean(r.has_children),
			level
		});
		if (isOpen) for (const child of children.get(id) ?? []) visit(child, level + 1);
	};
	const root = found.find((r) => Number(r.id) === ctx.root.id);
	if (root) visit(root, 0);
	return out;
}

export interface Option {
	id: string;
	name: string;
	depth?: number;
}

/** What the filter form offers: departments in the HR scope (as an indented list), courses, competencies. */
export async function filterOptions(ctx: Context): Promise<{ departments: Option[]; courses: Option[]; competencies: Option[] }> {
	const found = await rows<{ kind: string; id: string; name: string; depth: number | null }>(
		db,
		sql`select * from ((select 'department' as kind, d.id::text as id, ${nameSql(ctx.locale)} as name, d.depth - ${ctx.scope.depth} as depth, d.path as sort, 0 as pos
			from department d where d.path like ${likePrefix(ctx.scope.path)})
		union all
		(select 'course', c.id, ${sql.raw(ctx.locale === 'en' ? 'c.title_en' : 'c.title_zh')}, null, '', c.position from course c where c.present and not c.draft)
		union all
		(select 'competency', k.id, ${sql.raw(ctx.locale === 'en' ? 'k.name_en' : 'k.name_zh')}, null, '', k.position from competency k)) options
		order by kind, sort collate "C", pos`
	);
	const pick = (kind: string) =>
		found
			.filter((r) => r.kind === kind)
			.map((r) => ({ id: String(r.id), name: r.name, ...(r.depth === null ? {} : { depth: Number(r.depth) }) }));
	// Paths in byte order keep every subtree right under its parent: all an indented list needs.
	return { departments: pick('department'), courses: pick('course'), competencies: pick('competency') };
}
