import { requireScope } from '$lib/server/auth/guards';
import * as insights from '$lib/server/insights';
import { answer } from '$lib/server/route-errors';
import { getLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url }) => {
	const user = requireScope();
	return answer(() => insights.download(user.scope, user, url, 'xlsx', getLocale()));
};
