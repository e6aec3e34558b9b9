import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import { DomainError } from '$lib/server/errors';
import { mailSettings } from '$lib/server/mail/config';
import { isKind, isStatus, outbox, outboxCounts, sendAgain } from '$lib/server/notifications/outbox';
import { MESSAGE_KINDS } from '$lib/server/db/schema';
import { refuse } from '$lib/server/route-errors';
import type { Actions, PageServerLoad } from './$types';

const query = z.object({
	status: z.string().max(20).optional().catch(undefined),
	kind: z.string().max(30).optional().catch(undefined),
	before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined)
});

export const load: PageServerLoad = async ({ url }) => {
	requireRole('admin');
	const q = query.parse(Object.fromEntries(url.searchParams));
	const status = isStatus(q.status ?? null) ? q.status! : undefined;
	const kind = isKind(q.kind ?? null) ? q.kind! : undefined;
	const [page, counts] = await Promise.all([outbox({ status: status as never, kind: kind as never, before: q.before }), outboxCounts()]);
	return { ...page, counts, status: status ?? '', kind: kind ?? '', kinds: [...MESSAGE_KINDS], smtp: Boolean(mailSettings().smtpUrl) };
};

const resend = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const actions: Actions = {
	resend: async ({ request }) => {
		const admin = requireRole('admin');
		const parsed = resend.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { resend: 'refused' as const });
		try {
			await sendAgain(parsed.data.id, admin);
			return { resend: 'done' as const, id: parsed.data.id };
		} catch (e) {
			return refuse(e, DomainError, () => ({ resend: 'refused' as const }));
		}
	}
};
