import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guards';
import * as gift from '$lib/server/quiz/gift';
import * as studio from '$lib/server/studio';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	requireRole('trainer', 'admin');
	return { maxKb: gift.GIFT_MAX_BYTES / 1024, competencies: studio.courseList().competencies };
};

const options = z.object({
	lang: z.enum(['auto', 'zh-CN', 'en']).default('auto'),
	competency: z.union([z.literal(''), z.string().regex(/^[a-z0-9][a-z0-9-]*$/)]).default(''),
	prefix: z
		.union([
			z.literal(''),
			z
				.string()
				.regex(/^[a-z0-9][a-z0-9-]*$/)
				.max(40)
		])
		.default('')
});

export const actions: Actions = {
	default: async ({ request }) => {
		requireRole('trainer', 'admin');
		const form = await request.formData();
		const values = {
			lang: String(form.get('lang') ?? 'auto'),
			competency: String(form.get('competency') ?? ''),
			prefix: String(form.get('prefix') ?? '')
		};
		const parsedOptions = options.safeParse(values);
		if (!parsedOptions.success) return fail(400, { error: { kind: 'options' as const, detail: '' }, values });
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { error: { kind: 'missing' as const, detail: '' }, values });
		if (file.size > gift.GIFT_MAX_BYTES)
			return fail(400, { error: { kind: 'too-large' as const, detail: `${Math.ceil(file.size / 1024)}` }, values });
		let text: string;
		try {
			text = gift.decodeGift(new Uint8Array(await file.arrayBuffer()));
		} catch (e) {
			return fail(400, { error: { kind: 'not-text' as const, detail: (e as Error).message }, values });
		}
		const result = studio.convertUpload(text, parsedOptions.data);
		if (!result.ok) return fail(400, { error: { kind: 'unparseable' as const, detail: result.message }, values });
		const conversion = result.conversion;
		return {
			values,
			fileName: file.name.slice(0, 200),
			source: text,
			conversion: {
				locale: conversion.locale,
				total: conversion.total,
				markdown: conversion.markdown,
				preview: studio.giftPreview(conversion),
				skipped: conversion.skipped,
				warnings: conversion.warnings
			},
			report: gift.formatReport(conversion)
		};
	}
};
