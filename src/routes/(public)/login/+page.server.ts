import { fail, redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { audit, safeIp } from '$lib/server/audit';
import { signIn } from '$lib/server/auth/login';
import { admitSignIn } from '$lib/server/auth/hash-queue';
import { sessionCookie } from '$lib/server/auth/session';
import { beginAttempt, recordAddressFailure, recordSuccess } from '$lib/server/auth/throttle';
import { db, schema } from '$lib/server/db';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../../../seeds/demo';
import type { Actions, PageServerLoad } from './$types';

/** Only same-site paths, so a crafted link cannot bounce a user elsewhere after sign-in. */
function safeRedirect(target: string | null): string {
	return target && /^\/(?![/\\])/.test(target) ? target : '/';
}

async function demoShown(): Promise<boolean> {
	const [flag] = await db.select().from(schema.setting).where(eq(schema.setting.key, 'demo'));
	return flag?.value === 'true';
}

export const load: PageServerLoad = async ({ locals, url }) => {
	// Public page: signed-in users go straight on.
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo')));
	return {
		demo: (await demoShown()) ? { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS.map((a) => ({ username: a.username, roles: [...a.roles] })) } : null
	};
};

const form = z.object({ username: z.string().trim().min(1).max(128), password: z.string().min(1).max(1024) });

export const actions: Actions = {
	default: async (event) => {
		// Public action by design: this is where anonymous users become signed in.
		const data = Object.fromEntries(await event.request.formData());
		const parsed = form.safeParse(data);
		const username = typeof data.username === 'string' ? data.username.slice(0, 128) : '';
		if (!parsed.success) return fail(400, { username, error: 'missing' as const });
		// More sign-ins than this server can check in time: say so now, before anything is counted.
		const admission = admitSignIn();
		if ('retryAfter' in admission) {
			event.setHeaders({ 'retry-after': String(admission.retryAfter) });
			return fail(503, { username, error: 'busy' as const, retryAfter: admission.retryAfter });
		}
		let result: Awaited<ReturnType<typeof signIn>>;
		try {
			const ip = safeIp(event);
			// Counted before the password is checked, so parallel guesses cannot outrun the limit.
			const wait = await beginAttempt(parsed.data.username, ip);
			if (wait > 0) {
				event.setHeaders({ 'retry-after': String(wait) });
				await audit({ action: 'auth.login.throttled', targetType: 'username', targetId: parsed.data.username, actor: null });
				return fail(429, { username, error: 'throttled' as const, retryAfter: wait });
			}
			result = await signIn(parsed.data.username, parsed.data.password);
			if (!result.ok) {
				await recordAddressFailure(ip);
				await audit({ action: 'auth.login.failure', targetType: 'username', targetId: parsed.data.username, actor: null });
				return fail(400, { username, error: 'failed' as const });
			}
		} finally {
			admission.done();
		}
		await recordSuccess(parsed.data.username);
		if (event.locals.session) await db.delete(schema.session).where(eq(schema.session.id, event.locals.session.id));
		const { name, options } = sessionCookie();
		event.cookies.set(name, result.token, { ...options, expires: result.expiresAt });
		if (result.locale) event.cookies.set('govlearn_locale', result.locale, { path: '/', httpOnly: false, sameSite: 'lax', secure: options.secure, maxAge: 60 * 60 * 24 * 400 });
		await audit({ action: 'auth.login.success', targetType: 'user', targetId: result.userId, actor: { id: result.userId, username: parsed.data.username } });
		redirect(303, safeRedirect(event.url.searchParams.get('redirectTo')));
	}
};
