import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import { oidcEnabled } from '$lib/server/auth/oidc';
import { passwordPolicy, setPasswordPolicy } from '$lib/server/auth/password-sign-in';
import { AdminError } from '$lib/server/admin/errors';
import * as auditLog from '$lib/server/admin/audit-log';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('admin');
	const [policy, refused] = await Promise.all([passwordPolicy(), auditLog.refusedGovernmentSignIns(10)]);
	return {
		policy,
		sso: oidcEnabled(),
		refused: refused.map((r) => {
			const after = (r.after ?? {}) as Record<string, unknown>;
			const text = (v: unknown) => (typeof v === 'string' ? v : '');
			return {
				id: r.id,
				at: r.at,
				reason: text(after.reason),
				username: text(after.username),
				department: text(after.department),
				ip: r.ip
			};
		})
	};
};

const form = z.object({
	passwords: z.enum(['on', 'off']),
	breakGlass: z.string().max(2000).default('')
});

export const actions: Actions = {
	default: async ({ request }) => {
		const admin = requireRole('admin');
		const data = Object.fromEntries(await request.formData());
		const parsed = form.safeParse(data);
		const breakGlassText = typeof data.breakGlass === 'string' ? data.breakGlass.slice(0, 2000) : '';
		// What was chosen comes back with a refusal, so fixing the names does not undo the choice.
		const passwords = data.passwords === 'off' ? ('off' as const) : ('on' as const);
		if (!parsed.success) return fail(400, { error: 'invalid', detail: '', breakGlass: breakGlassText, passwords });
		const breakGlass = parsed.data.breakGlass.split(/[\s,，;；、]+/).filter(Boolean);
		try {
			await setPasswordPolicy({ enabled: parsed.data.passwords === 'on', breakGlass }, { id: admin.id, username: admin.username });
		} catch (e) {
			if (e instanceof AdminError) return fail(400, { error: e.code, detail: e.detail, breakGlass: breakGlassText, passwords });
			throw e;
		}
		return { saved: true };
	}
};
