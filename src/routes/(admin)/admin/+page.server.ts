import { requireRole } from '$lib/server/auth/guards';
import * as departments from '$lib/server/admin/departments';
import * as staffImport from '$lib/server/admin/import';
import * as users from '$lib/server/admin/users';
import * as auditLog from '$lib/server/admin/audit-log';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('admin');
	const [counts, options, batches, recent] = await Promise.all([
		users.counts(),
		departments.options(),
		staffImport.recentBatches(5),
		auditLog.search({ page: 1 })
	]);
	return {
		counts,
		departments: { total: options.length, active: options.filter((d) => d.active).length },
		batches,
		recent: recent.rows.slice(0, 8).map((r) => ({
			id: r.id,
			at: r.at,
			action: r.action,
			actorUsername: r.actorUsername,
			targetType: r.targetType,
			targetId: r.targetId
		}))
	};
};
