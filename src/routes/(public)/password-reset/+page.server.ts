import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { safeIp } from '$lib/server/audit';
import { requestReset } from '$lib/server/auth/password-reset';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	// Public by design: people who forgot their password are not signed in.
	return {};
};

const form = z.object({ username: z.string().trim().min(1).max(128) });

export const actions: Actions = {
	default: async (event) => {
		// Public by design (see load): the same answer whether or not the account exists; throttled.
		const parsed = form.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { problem: 'missing' as const });
		const result = await requestReset(parsed.data.username, safeIp(event));
		if (result.status === 'throttled') {
			event.setHeaders({ 'retry-after': String(result.retryAfter) });
			return fail(429, { problem: 'throttled' as const, retryAfter: result.retryAfter });
		}
		return { sent: true };
	}
};
