import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { safeIp } from '$lib/server/audit';
import { changePassword } from '$lib/server/auth/account';
import { requireUser } from '$lib/server/auth/guards';
import { mailPreferences, setMailPreferences } from '$lib/server/notifications/preferences';
import { OPTIONAL_KINDS } from '$lib/server/notifications/templates';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const user = requireUser();
	return { username: user.username, displayName: user.displayName, locale: user.locale, mail: await mailPreferences(user.id) };
};

const passwordForm = z.object({ current: z.string().min(1).max(1024), next: z.string().max(1024), confirm: z.string().max(1024) });

export const actions: Actions = {
	mail: async ({ request }) => {
		const user = requireUser();
		const wanted = (await request.formData()).getAll('kind').filter((k): k is string => typeof k === 'string');
		if (wanted.some((k) => !(OPTIONAL_KINDS as readonly string[]).includes(k))) return fail(400, { mail: 'invalid' as const });
		await setMailPreferences(user, wanted);
		return { mail: 'saved' as const };
	},
	password: async (event) => {
		const user = requireUser();
		const parsed = passwordForm.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { password: 'wrong' as const });
		const { status, retryAfter } = await changePassword(user, event.locals.session?.id, safeIp(event), parsed.data);
		if (status === 'throttled' || status === 'busy') {
			event.setHeaders({ 'retry-after': String(retryAfter) });
			return fail(status === 'busy' ? 503 : 429, { password: status, retryAfter });
		}
		if (status !== 'changed') return fail(400, { password: status });
		return { password: status };
	}
};
