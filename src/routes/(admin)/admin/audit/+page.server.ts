import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import * as auditLog from '$lib/server/admin/audit-log';
import type { PageServerLoad } from './$types';

// A real calendar day: Date.parse accepts 2024-02-30 (it rolls over), Postgres does not.
const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.refine((d) => !d.startsWith('0000') && !Number.isNaN(Date.parse(d)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d);
const filters = z.object({
	action: z.string().trim().max(80).optional().catch(undefined),
	actor: z.string().trim().max(64).optional().catch(undefined),
	from: day.optional().catch(undefined),
	to: day.optional().catch(undefined),
	q: z.string().trim().max(100).optional().catch(undefined),
	target: z
		.string()
		.regex(/^[a-z_]{1,40}:[\w.@-]{1,80}$/)
		.optional()
		.catch(undefined),
	page: z.coerce.number().int().positive().max(100_000).optional().catch(undefined)
});

export const load: PageServerLoad = async ({ url }) => {
	requireRole('admin');
	const f = filters.parse(Object.fromEntries(url.searchParams));
	const target = f.target ? { type: f.target.slice(0, f.target.indexOf(':')), id: f.target.slice(f.target.indexOf(':') + 1) } : undefined;
	const [result, actions] = await Promise.all([
		auditLog.search({ ...f, action: f.action || undefined, actor: f.actor || undefined, q: f.q || undefined, target }),
		auditLog.actions()
	]);
	return {
		...result,
		actions,
		filters: { action: f.action ?? '', actor: f.actor ?? '', from: f.from ?? '', to: f.to ?? '', q: f.q ?? '', target: f.target ?? '' }
	};
};
