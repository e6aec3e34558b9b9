import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as staffImport from '$lib/server/admin/import';
import { rowErrorText } from '$lib/components/admin/names';
import type { RequestHandler } from './$types';

/** Every error of a batch as CSV (UTF-8 with BOM), to fix the file with the list open in Excel. */
export const GET: RequestHandler = async ({ params }) => {
	requireRole('admin');
	const id = Number(params.id);
	const batch = await staffImport.getBatch(id);
	if (!batch) error(404, 'not found');
	const errors = await staffImport.batchErrors(batch.id);
	return new Response(staffImport.errorsCsv(errors, rowErrorText), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="import-${batch.id}-errors.csv"`,
			'cache-control': 'no-store'
		}
	});
};
