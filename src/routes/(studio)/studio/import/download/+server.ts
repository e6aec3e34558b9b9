import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import * as gift from '$lib/server/quiz/gift';
import * as studio from '$lib/server/studio';
import type { RequestHandler } from './$types';

/** The converted quiz as a .md file: the GIFT source is converted again here, never echoed. */
export const POST: RequestHandler = async ({ request }) => {
	requireRole('trainer', 'admin');
	const form = await request.formData();
	const source = String(form.get('source') ?? '');
	if (!source || new TextEncoder().encode(source).byteLength > gift.GIFT_MAX_BYTES) error(400, 'no GIFT text or too large');
	const lang = String(form.get('lang') ?? 'auto');
	const result = studio.convertUpload(source, {
		lang: lang === 'en' || lang === 'zh-CN' ? lang : 'auto',
		competency: /^[a-z0-9][a-z0-9-]*$/.test(String(form.get('competency') ?? '')) ? String(form.get('competency')) : '',
		prefix: /^[a-z0-9][a-z0-9-]*$/.test(String(form.get('prefix') ?? '')) ? String(form.get('prefix')) : ''
	});
	if (!result.ok || !result.conversion.markdown) error(400, 'nothing to download');
	return new Response(result.conversion.markdown, {
		headers: {
			'content-type': 'text/markdown; charset=utf-8',
			'content-disposition': `attachment; filename="quiz.${result.conversion.locale}.md"`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'no-store'
		}
	});
};
