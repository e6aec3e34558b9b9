import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { AdminError } from '$lib/server/admin/errors';
import * as staffImport from '$lib/server/admin/import';
import type { RequestHandler } from './$types';

/** Fresh links for the batch's accounts still waiting (older links stop working), as a CSV download. */
export const POST: RequestHandler = async ({ params, url }) => {
	const admin = requireRole('admin');
	const id = Number(params.id);
	let links: staffImport.NewAccount[];
	try {
		links = await staffImport.reissueLinks(id, { id: admin.id, username: admin.username });
	} catch (e) {
		if (e instanceof AdminError) redirect(303, `/admin/import/${id}?error=${e.code}`);
		throw e;
	}
	if (!links.length) redirect(303, `/admin/import/${id}`);
	return new Response(staffImport.linksCsv(url.origin, links), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="activation-links-batch-${id}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
