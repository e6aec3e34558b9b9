// Form values of the studio's authoring pages, read and checked in one place.
import { z } from 'zod';
import { DomainError } from '../errors';
import type { CourseSettings, QuestionInput } from './index';

const str = (form: FormData, name: string) => String(form.get(name) ?? '');

const settingsSchema = z.object({
	titleZh: z.string().trim().min(1).max(200),
	titleEn: z.string().trim().min(1).max(200),
	summaryZh: z.string().trim().min(1).max(1000),
	summaryEn: z.string().trim().min(1).max(1000),
	hours: z.coerce.number().positive().max(100).multipleOf(0.5),
	level: z.enum(['basic', 'intermediate', 'advanced']),
	passScore: z.coerce.number().int().min(1).max(100),
	attemptLimit: z.coerce.number().int().min(1).max(100),
	competencies: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)).min(1)
});

export function settingsForm(form: FormData): CourseSettings {
	const parsed = settingsSchema.safeParse({
		titleZh: str(form, 'titleZh'),
		titleEn: str(form, 'titleEn'),
		summaryZh: str(form, 'summaryZh'),
		summaryEn: str(form, 'summaryEn'),
		hours: str(form, 'hours'),
		level: str(form, 'level'),
		passScore: str(form, 'passScore'),
		attemptLimit: str(form, 'attemptLimit'),
		competencies: form.getAll('competencies').map(String)
	});
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0] ?? '');
		throw new DomainError('invalid', 'author_bad_settings', `${field}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { field });
	}
	const d = parsed.data;
	return {
		title: { 'zh-CN': d.titleZh, en: d.titleEn },
		summary: { 'zh-CN': d.summaryZh, en: d.summaryEn },
		hours: d.hours,
		level: d.level,
		passScore: d.passScore,
		attemptLimit: d.attemptLimit,
		competencies: d.competencies,
		shuffle: form.get('shuffle') === 'on'
	};
}

export const OPTION_ROWS = 5;

/** The question form: up to five options, each with its text in both languages and a right mark. */
export function questionForm(form: FormData): QuestionInput {
	const type = str(form, 'type');
	if (!['single', 'multiple', 'true-false', 'short'].includes(type))
		throw new DomainError('invalid', 'author_bad_type', 'choose a question type');
	const options: QuestionInput['options'] = [];
	for (let i = 0; i < OPTION_ROWS; i++) {
		const zh = str(form, `option${i}Zh`).trim();
		const en = str(form, `option${i}En`).trim();
		if (!zh && !en) continue;
		if (!zh || !en) throw new DomainError('invalid', 'author_option_both', `option ${i + 1}: write it in both languages`);
		options.push({ text: { 'zh-CN': zh, en }, correct: form.get(`option${i}Right`) === 'on' });
	}
	if (type === 'true-false')
		options.splice(0, options.length, { text: { 'zh-CN': '', en: '' }, correct: str(form, 'trueFalse') !== 'false' });
	const list = (name: string) =>
		str(form, name)
			.split('\n')
			.map((s) => s.trim())
			.filter(Boolean);
	return {
		id: str(form, 'id').trim(),
		type: type as QuestionInput['type'],
		competency: str(form, 'competency').trim(),
		stem: { 'zh-CN': str(form, 'stemZh'), en: str(form, 'stemEn') },
		options,
		accepted: { 'zh-CN': list('acceptedZh'), en: list('acceptedEn') },
		explanation: { 'zh-CN': str(form, 'explanationZh'), en: str(form, 'explanationEn') }
	};
}
