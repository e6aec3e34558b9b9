import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as departments from '$lib/server/admin/departments';
import { AdminError } from '$lib/server/admin/errors';
import * as users from '$lib/server/admin/users';
import { activationLink } from '$lib/server/admin/tokens';
import { refuse } from '$lib/server/route-errors';
import { newUserForm, rolesField } from '../forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('admin');
	return { options: await departments.options() };
};

export const actions: Actions = {
	default: async ({ request, url }) => {
		requireRole('admin');
		const data = await request.formData();
		const values = {
			username: String(data.get('username') ?? ''),
			displayName: String(data.get('displayName') ?? ''),
			email: String(data.get('email') ?? ''),
			departmentId: String(data.get('departmentId') ?? '')
		};
		const parsed = newUserForm.safeParse(values);
		const roles = rolesField.safeParse(data.getAll('roles'));
		if (!parsed.success || !roles.success)
			return fail(400, { error: 'invalid', field: String(parsed.error?.issues[0]?.path[0] ?? 'roles'), values });
		try {
			const created = await users.create({ ...parsed.data, roles: roles.data });
			// The raw link exists only in this response: shown once, never stored.
			return {
				created: {
					id: created.id,
					username: parsed.data.username,
					name: parsed.data.displayName,
					link: activationLink(url.origin, created.token),
					expiresAt: created.expiresAt
				}
			};
		} catch (e) {
			return refuse(e, AdminError, (err) => ({
				error: err.code,
				field: err.code === 'username_taken' ? 'username' : 'departmentId',
				values
			}));
		}
	}
};
