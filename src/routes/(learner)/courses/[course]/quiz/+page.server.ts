import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guards';
import * as learning from '$lib/server/learning';
import * as quiz from '$lib/server/quiz';
import { formatter } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

const attemptId = z.coerce.number().int().positive().max(2_147_483_647);
/** Posted answers: `q<position>` fields, a few per question, short texts. */
const answerField = z.tuple([z.string().regex(/^q\d{1,3}$/), z.string().max(500)]);

export const load: PageServerLoad = async ({ params, url }) => {
	const user = requireUser();
	const course = learning.publishedCourse(params.course);
	if (!course) error(404, 'not found');
	const locale = getLocale();
	const view = await quiz.quizView(user.id, course, locale);
	const history = view.history.map((h) => ({ ...h, date: h.submittedAt ? formatter(locale).date(h.submittedAt) : '' }));
	const requested = url.searchParams.get('attempt');
	if (requested === null) return { ...view, history, result: null };
	const id = attemptId.safeParse(requested);
	// Someone else's attempt, an open one or a made-up number: all simply do not exist here.
	const result = id.success ? await quiz.attemptResult(user.id, course, id.data, locale) : undefined;
	if (!result) error(404, 'not found');
	return { ...view, history, open: null, result: { ...result, date: formatter(locale).date(result.submittedAt) } };
};

export const actions: Actions = {
	/** Starts an attempt (or resumes the open one); the questions are fixed on the server. */
	start: async ({ params }) => {
		const user = requireUser();
		const course = learning.publishedCourse(params.course);
		if (!course) error(404, 'not found');
		const started = await quiz.startAttempt(user.id, course, getLocale());
		if (!started.ok) return fail(400, { message: started.reason });
		redirect(303, `/courses/${course.slug}/quiz`);
	},

	/** Grades the attempt on the server; a repeated submission shows the first result. */
	submit: async ({ params, request }) => {
		const user = requireUser();
		const course = learning.publishedCourse(params.course);
		if (!course) error(404, 'not found');
		const form = await request.formData();
		const id = attemptId.safeParse(form.get('attempt'));
		const values: Record<number, string[]> = {};
		const echo: Record<string, string[]> = {};
		let count = 0;
		for (const entry of form) {
			if (typeof entry[1] !== 'string' || !/^q\d/.test(entry[0])) continue;
			const parsed = answerField.safeParse(entry);
			if (!parsed.success || ++count > 1000) return fail(400, { message: 'invalid' as const, values: echo });
			const [name, value] = parsed.data;
			(values[Number(name.slice(1))] ??= []).push(value);
			(echo[name] ??= []).push(value);
		}
		if (!id.success) return fail(400, { message: 'invalid' as const, values: echo });
		const result = await quiz.submitAttempt(user.id, course, id.data, values, getLocale(), new Date(), {
			requireAll: form.get('allowBlank') !== '1'
		});
		if (result.status === 'not-found') error(404, 'not found');
		if (result.status === 'invalid') return fail(400, { message: 'invalid' as const, question: result.question, values: echo });
		if (result.status === 'incomplete') return fail(400, { message: 'incomplete' as const, questions: result.questions, values: echo });
		redirect(303, `/courses/${course.slug}/quiz?attempt=${result.attemptId}`);
	}
};
