import { fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '$lib/server/audit';
import { requireUser } from '$lib/server/auth/guards';
import { hashPassword, verifyPassword } from '$lib/server/auth/password';
import { passwordProblem } from '$lib/server/auth/password-policy';
import { invalidateUserSessions } from '$lib/server/auth/session';
import { db, schema } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const user = requireUser();
	return { username: user.username, displayName: user.displayName, locale: user.locale };
};

const passwordForm = z.object({ current: z.string().min(1).max(1024), next: z.string().max(1024), confirm: z.string().max(1024) });

export const actions: Actions = {
	password: async ({ request, locals }) => {
		const user = requireUser();
		const parsed = passwordForm.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { password: 'wrong' as const });
		const { current, next, confirm } = parsed.data;
		if (next !== confirm) return fail(400, { password: 'mismatch' as const });
		const problem = passwordProblem(next);
		if (problem) return fail(400, { password: problem === 'common' ? ('common' as const) : ('short' as const) });
		const [row] = await db.select({ hash: schema.user.passwordHash }).from(schema.user).where(eq(schema.user.id, user.id));
		if (!row?.hash || !(await verifyPassword(row.hash, current))) return fail(400, { password: 'wrong' as const });
		const hash = await hashPassword(next);
		await db.transaction(async (tx) => {
			await tx.update(schema.user).set({ passwordHash: hash, updatedAt: new Date() }).where(eq(schema.user.id, user.id));
			// Every other session ends; this one stays so the person is not thrown out mid-task.
			await invalidateUserSessions(user.id, locals.session?.id, tx);
			await audit({ action: 'user.password.change', targetType: 'user', targetId: user.id }, tx);
		});
		return { password: 'changed' as const };
	}
};
