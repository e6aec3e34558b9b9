import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { AdminError } from '$lib/server/admin/errors';
import * as staffImport from '$lib/server/admin/import';
import type { RequestHandler } from './$types';

/**
 * Applies a previewed batch. The new accounts' activation links come back as the CSV download (the
 * raw tokens exist only in this response); with no new account, or when refused, back to the batch page.
 */
export const POST: RequestHandler = async ({ params, request, url }) => {
	const admin = requireRole('admin');
	const id = Number(params.id);
	const hash = String((await request.formData()).get('hash') ?? '');
	let result: Awaited<ReturnType<typeof staffImport.apply>>;
	try {
		result = await staffImport.apply(id, hash, { id: admin.id, username: admin.username });
	} catch (e) {
		if (e instanceof AdminError) redirect(303, `/admin/import/${id}?error=${e.code}`);
		throw e;
	}
	if (!result.created.length) redirect(303, `/admin/import/${id}`);
	return new Response(staffImport.linksCsv(url.origin, result.created), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="activation-links-batch-${id}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
