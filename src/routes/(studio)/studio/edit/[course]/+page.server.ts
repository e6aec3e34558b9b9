import { requireRole } from '$lib/server/auth/guards';
import * as authoring from '$lib/server/authoring';
import { questionForm, settingsForm } from '$lib/server/authoring/forms';
import { DomainError } from '$lib/server/errors';
import { answer, refuse } from '$lib/server/route-errors';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const user = requireRole('trainer', 'admin');
	return { workspace: await answer(() => authoring.workspace(user, params.course)) };
};

type Work = (
	user: ReturnType<typeof requireRole>,
	form: FormData,
	revision: number,
	event: RequestEvent
) => Promise<Record<string, unknown> | void>;

/** Every action: the guard, the form, the service call; a domain error comes back to the form with its code. */
function action(name: string, work: Work) {
	return async (event: RequestEvent) => {
		const user = requireRole('trainer', 'admin');
		const form = await event.request.formData();
		const revision = Number(form.get('revision') ?? 0);
		try {
			const extra = await work(user, form, revision, event);
			return { done: name, ...(extra ?? {}) };
		} catch (e) {
			return refuse(e, DomainError, (err) => ({ action: name, code: err.code, message: err.message }));
		}
	};
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

export const actions: Actions = {
	start: action('start', async (user, _form, _revision, { params }) => {
		await authoring.startDraft(user, params.course);
	}),
	settings: action('settings', async (user, form, revision) => ({
		errors: await authoring.saveSettings(user, revision, settingsForm(form))
	})),
	addLesson: action('addLesson', async (user, form, revision) => {
		await authoring.addLesson(user, revision, {
			slug: text(form, 'slug'),
			title: { 'zh-CN': text(form, 'titleZh'), en: text(form, 'titleEn') }
		});
	}),
	moveLesson: action('moveLesson', async (user, form, revision) => {
		await authoring.moveLesson(user, revision, text(form, 'slug'), text(form, 'direction') === 'up' ? 'up' : 'down');
	}),
	retireLesson: action('retireLesson', async (user, form, revision) => {
		await authoring.retireLesson(user, revision, text(form, 'slug'), text(form, 'retired') !== 'false');
	}),
	question: action('question', async (user, form, revision) => ({
		errors: await authoring.saveQuestion(user, revision, questionForm(form))
	})),
	image: action('image', async (user, form, revision) => {
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) throw new DomainError('invalid', 'author_no_file', 'choose a file');
		return {
			image: await authoring.uploadImage(
				user,
				revision,
				{ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
				text(form, 'alt')
			)
		};
	}),
	gift: action('gift', async (user, form, revision) => {
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) throw new DomainError('invalid', 'author_no_file', 'choose a file');
		if (file.size > 1024 * 1024) throw new DomainError('invalid', 'author_too_long', 'at most 1 MB');
		let text: string;
		try {
			text = authoring.decodeGift(new Uint8Array(await file.arrayBuffer()));
		} catch (e) {
			throw new DomainError('invalid', 'author_gift_empty', (e as Error).message);
		}
		const result = await authoring.importGift(user, revision, text, text.length ? String(form.get('prefix') ?? '') : '');
		return { gift: result };
	}),
	submit: action('submit', async (user, _form, revision) => {
		await authoring.submit(user, revision);
	}),
	approve: action('approve', async (user, form, revision) => {
		await authoring.review(user, revision, 'approve', text(form, 'comment'));
	}),
	sendBack: action('sendBack', async (user, form, revision) => {
		await authoring.review(user, revision, 'return', text(form, 'comment'));
	}),
	republish: action('republish', async (user, _form, revision) => {
		await authoring.republish(user, revision);
	}),
	discard: action('discard', async (user, _form, revision) => {
		if (!revision) throw new DomainError('invalid', 'author_not_found', 'which revision?');
		await authoring.discard(user, revision);
	})
};
