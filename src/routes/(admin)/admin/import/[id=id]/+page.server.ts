import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import * as staffImport from '$lib/server/admin/import';
import type { PageServerLoad } from './$types';

const ERRORS_PER_PAGE = 100;
const query = z.object({
	page: z.coerce.number().int().positive().max(10_000).catch(1),
	error: z.string().max(40).optional().catch(undefined)
});

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('admin');
	const batch = await staffImport.getBatch(Number(params.id));
	if (!batch) error(404, 'not found');
	const q = query.parse({ page: url.searchParams.get('page') ?? 1, error: url.searchParams.get('error') ?? undefined });
	const pageCount = Math.max(1, Math.ceil(batch.errorCount / ERRORS_PER_PAGE));
	const page = Math.min(q.page, pageCount);
	const errors = batch.errorCount
		? await staffImport.batchErrors(batch.id, { offset: (page - 1) * ERRORS_PER_PAGE, limit: ERRORS_PER_PAGE })
		: [];
	return { batch, errors, page, pageCount, problem: q.error ?? null, maxBytes: staffImport.MAX_FILE_BYTES };
};
