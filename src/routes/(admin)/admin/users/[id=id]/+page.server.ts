import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as departments from '$lib/server/admin/departments';
import { AdminError } from '$lib/server/admin/errors';
import * as users from '$lib/server/admin/users';
import { activationLink } from '$lib/server/admin/tokens';
import { refuse } from '$lib/server/route-errors';
import { optionalDepartment } from '../../departments/forms';
import { profileForm, rolesField } from '../forms';
import type { Actions, PageServerLoad } from './$types';

/** The [id=id] matcher has already refused anything that is not an int4 id. */
const target = (params: { id: string }) => Number(params.id);

export const load: PageServerLoad = async ({ params }) => {
	const admin = requireRole('admin');
	const user = await users.get(target(params));
	if (!user) error(404, 'not found');
	return { user, options: await departments.options(), self: user.id === admin.id };
};

async function attempt<T>(form: string, change: () => Promise<T>) {
	try {
		return { form, done: true as const, value: await change() };
	} catch (e) {
		return refuse(e, AdminError, (err) => ({ form, error: err.code }));
	}
}

export const actions: Actions = {
	profile: async ({ request, params }) => {
		requireRole('admin');
		const parsed = profileForm.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { form: 'profile', error: 'invalid', field: String(parsed.error.issues[0]?.path[0] ?? '') });
		return attempt('profile', () => users.updateProfile(target(params), parsed.data));
	},
	roles: async ({ request, params }) => {
		const admin = requireRole('admin');
		const data = await request.formData();
		const roles = rolesField.safeParse(data.getAll('roles'));
		const scope = optionalDepartment.safeParse(data.get('hrScopeId') ?? '');
		if (!roles.success || !scope.success) return fail(400, { form: 'roles', error: 'invalid' });
		return attempt('roles', () => users.setRoles(target(params), { roles: roles.data, hrScopeId: scope.data }, admin.id));
	},
	deactivate: async ({ params }) => {
		const admin = requireRole('admin');
		return attempt('status', () => users.deactivate(target(params), admin.id));
	},
	reactivate: async ({ params, url }) => {
		requireRole('admin');
		const result = await attempt('status', () => users.reactivate(target(params)));
		if ('done' in result && result.value)
			return {
				form: 'status',
				done: true as const,
				link: { url: activationLink(url.origin, result.value.token), expiresAt: result.value.expiresAt }
			};
		return result;
	},
	reset: async ({ params, url }) => {
		const admin = requireRole('admin');
		const result = await attempt('reset', () => users.resetActivation(target(params), admin.id));
		// The raw link exists only in this response: shown once, never stored.
		if ('done' in result)
			return {
				form: 'reset',
				done: true as const,
				link: { url: activationLink(url.origin, result.value.token), expiresAt: result.value.expiresAt }
			};
		return result;
	}
};
