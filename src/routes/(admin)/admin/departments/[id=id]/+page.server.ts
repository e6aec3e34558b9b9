import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import * as departments from '$lib/server/admin/departments';
import { AdminError } from '$lib/server/admin/errors';
import { refuse } from '$lib/server/route-errors';
import { departmentForm, optionalDepartment } from '../forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	requireRole('admin');
	const department = await departments.get(target(params));
	if (!department) error(404, 'not found');
	return { department, options: await departments.options() };
};

/** Runs a change; a refusal becomes a 400 with its code, tagged with the form it came from. */
async function attempt(form: string, change: () => Promise<unknown>) {
	try {
		const result = await change();
		return { form, done: true as const, result: typeof result === 'number' ? result : null };
	} catch (e) {
		return refuse(e, AdminError, (err) => ({ form, error: err.code }));
	}
}

/** The [id=id] matcher has already refused anything that is not an int4 id. */
const target = (params: { id: string }) => Number(params.id);

export const actions: Actions = {
	update: async ({ request, params }) => {
		requireRole('admin');
		const parsed = departmentForm.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { form: 'update', error: 'invalid' });
		return attempt('update', () => departments.update(target(params), parsed.data));
	},
	move: async ({ request, params }) => {
		requireRole('admin');
		const parsed = z.object({ parentId: optionalDepartment }).safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { form: 'move', error: 'invalid' });
		return attempt('move', () => departments.move(target(params), parsed.data.parentId));
	},
	deactivate: async ({ request, params }) => {
		requireRole('admin');
		const parsed = z.object({ moveStaffTo: optionalDepartment.optional() }).safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { form: 'deactivate', error: 'invalid' });
		return attempt('deactivate', () => departments.deactivate(target(params), parsed.data.moveStaffTo ?? null));
	},
	reactivate: async ({ params }) => {
		requireRole('admin');
		return attempt('reactivate', () => departments.reactivate(target(params)));
	}
};
