import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as staffImport from '$lib/server/admin/import';
import { refuse } from '$lib/server/route-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('admin');
	return { batches: await staffImport.recentBatches(20), maxBytes: staffImport.MAX_FILE_BYTES };
};

export const actions: Actions = {
	preview: async ({ request }) => {
		const admin = requireRole('admin');
		let file: FormDataEntryValue | null;
		try {
			file = (await request.formData()).get('file');
		} catch {
			// Larger than the server accepts at all (BODY_SIZE_LIMIT), or a broken upload.
			return fail(413, { error: 'too_large' as const, detail: '' });
		}
		if (!(file instanceof File) || file.size === 0) return fail(400, { error: 'no_file' as const, detail: '' });
		if (file.size > staffImport.MAX_FILE_BYTES) return fail(413, { error: 'too_large' as const, detail: '' });
		let id: number;
		try {
			id = await staffImport.preview(new Uint8Array(await file.arrayBuffer()), file.name || 'upload', {
				id: admin.id,
				username: admin.username
			});
		} catch (e) {
			return refuse(e, staffImport.ImportFileError, (err) => ({ error: err.code, detail: err.detail, fileName: file.name }));
		}
		redirect(303, `/admin/import/${id}`);
	}
};
