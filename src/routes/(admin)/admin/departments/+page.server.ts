import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as departments from '$lib/server/admin/departments';
import { AdminError } from '$lib/server/admin/errors';
import { refuse } from '$lib/server/route-errors';
import { departmentForm, optionalDepartment } from './forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('admin');
	const tree = await departments.tree();
	return { tree, options: departments.flatten(tree) };
};

const createForm = departmentForm.extend({ parentId: optionalDepartment });

export const actions: Actions = {
	create: async ({ request }) => {
		requireRole('admin');
		// Only the form's own text fields are echoed back (a posted file or a "__proto__" field cannot be).
		const data = await request.formData();
		const values = Object.fromEntries(
			['code', 'nameZh', 'nameEn', 'parentId'].map((k) => [k, typeof data.get(k) === 'string' ? (data.get(k) as string) : ''])
		) as Record<string, string>;
		const parsed = createForm.safeParse(values);
		if (!parsed.success) return fail(400, { error: 'invalid', field: String(parsed.error.issues[0]?.path[0] ?? ''), values });
		let id: number;
		try {
			id = await departments.create(parsed.data);
		} catch (e) {
			return refuse(e, AdminError, (err) => ({ error: err.code, field: err.code === 'code_taken' ? 'code' : 'parentId', values }));
		}
		redirect(303, `/admin/departments/${id}?created=1`);
	}
};
