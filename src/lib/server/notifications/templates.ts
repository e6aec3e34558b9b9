// Subject, plain text and HTML of each kind of message, from the Paraglide messages (mail_*) in the
// recipient's language. Only a message's kind and parameters are stored; this renders them, for the
// mail when it goes out and for the inbox and the outbox when they are read.
import { m } from '$lib/paraglide/messages';
import type { MessageKind } from '../db/schema';

export type Locale = 'zh-CN' | 'en';
export const OPTIONAL_KINDS = [
	'assignment_new',
	'reminder_due',
	'reminder_overdue',
	'hr_digest',
	'certificate'
] as const satisfies readonly MessageKind[];
export type OptionalKind = (typeof OPTIONAL_KINDS)[number];
export function isOptional(kind: string): kind is OptionalKind {
	return (OPTIONAL_KINDS as readonly string[]).includes(kind);
}
/** Kinds that carry a one-time secret link: never in the inbox; the token is removed once delivered. */
export const SECRET_KINDS: readonly MessageKind[] = ['activation', 'password_reset'];

export interface Rendered {
	subject: string;
	/** Paragraphs of the body (plain text, no markup). */
	lines: string[];
	/** The action: a path on this site (joined to the origin in mail), and its label. Null once a secret link was removed. */
	path: string | null;
	action: string;
	text: string;
	html: string;
}

export class TemplateError extends Error {}

type Params = Record<string, unknown>;
const str = (p: Params, key: string): string => {
	const v = p[key];
	if (v === undefined || v === null) throw new TemplateError(`parameter ${key} is missing`);
	return String(v);
};
const title = (p: Params, locale: Locale) => str(p, locale === 'en' ? 'titleEn' : 'titleZh');

function body(kind: MessageKind, p: Params, locale: Locale): { subject: string; lines: string[]; path: string | null; action: string } {
	const o = { locale };
	switch (kind) {
		case 'activation':
			return {
				subject: m.mail_activation_subject({}, o),
				lines: [m.mail_activation_body({ username: str(p, 'username'), expires: str(p, 'expires') }, o)],
				path: p.token ? `/activate/${str(p, 'token')}` : null,
				action: m.mail_activation_action({}, o)
			};
		case 'password_reset':
			return {
				subject: m.mail_reset_subject({}, o),
				lines: [m.mail_reset_body({ username: str(p, 'username') }, o), m.mail_reset_ignore({}, o)],
				path: p.token ? `/password-reset/${str(p, 'token')}` : null,
				action: m.mail_reset_action({}, o)
			};
		case 'assignment_new':
			return {
				subject: m.mail_assignment_subject({ course: title(p, locale) }, o),
				lines: [m.mail_assignment_body({ course: title(p, locale), due: str(p, 'due') }, o)],
				path: `/courses/${str(p, 'slug')}`,
				action: m.mail_assignment_action({}, o)
			};
		case 'reminder_due':
			return {
				subject: m.mail_due_subject({ course: title(p, locale), due: str(p, 'due') }, o),
				lines: [m.mail_due_body({ course: title(p, locale), due: str(p, 'due'), days: str(p, 'days') }, o)],
				path: `/courses/${str(p, 'slug')}`,
				action: m.mail_due_action({}, o)
			};
		case 'reminder_overdue':
			return {
				subject: m.mail_overdue_subject({ course: title(p, locale), due: str(p, 'due') }, o),
				lines: [m.mail_overdue_body({ course: title(p, locale), due: str(p, 'due'), days: str(p, 'days') }, o)],
				path: `/courses/${str(p, 'slug')}`,
				action: m.mail_overdue_action({}, o)
			};
		case 'hr_digest': {
			const department = str(p, locale === 'en' ? 'departmentEn' : 'departmentZh');
			const gaps = Array.isArray(p.gaps) ? (p.gaps as Params[]) : [];
			return {
				subject: m.mail_digest_subject({ department }, o),
				lines: [
					m.mail_digest_body(
						{ department, done: str(p, 'done'), required: str(p, 'required'), percent: str(p, 'percent'), overdue: str(p, 'newlyOverdue') },
						o
					),
					gaps.length
						? [
								m.mail_digest_gaps({}, o),
								...gaps.map((g) => m.mail_digest_gap({ course: title(g, locale), missing: str(g, 'missing') }, o))
							].join('\n')
						: m.mail_digest_no_gaps({}, o)
				],
				path: '/insights',
				action: m.mail_digest_action({}, o)
			};
		}
		case 'certificate':
			return {
				subject: m.mail_certificate_subject({ course: title(p, locale) }, o),
				lines: [m.mail_certificate_body({ course: title(p, locale), code: str(p, 'code') }, o)],
				path: `/certificates/${str(p, 'code')}`,
				action: m.mail_certificate_action({}, o)
			};
		default:
			throw new TemplateError(`no template for ${String(kind)}`);
	}
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The whole message; throws TemplateError when a parameter or a translation is missing. */
export function render(kind: MessageKind, params: Params, locale: Locale, origin: string, name = ''): Rendered {
	const b = body(kind, params, locale);
	for (const piece of [b.subject, b.action, ...b.lines]) {
		// A message missing from the language file comes out as its key: refuse rather than send that.
		if (!piece || /^mail_[a-z_]+$/.test(piece)) throw new TemplateError(`translation missing for ${kind} (${locale})`);
	}
	const o = { locale };
	const url = b.path ? `${origin}${b.path}` : null;
	const prefs = `${origin}/account`;
	const footer = SECRET_KINDS.includes(kind) ? m.mail_footer_required({}, o) : m.mail_footer({ url: prefs }, o);
	const greeting = m.mail_greeting({ name: name || String(params.name ?? '') }, o);
	const text = [greeting, ...b.lines, ...(url ? [`${b.action}: ${url}`] : [m.mail_link_removed({}, o)]), '--', footer].join('\n\n');
	const para = (s: string) => `<p>${escapeHtml(s).replace(/\n/g, '<br>')}</p>`;
	const html = `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a">
${para(greeting)}
${b.lines.map(para).join('\n')}
${url ? `<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:8px 16px;background:#0b5cab;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(b.action)}</a></p><p style="font-size:13px;color:#555">${escapeHtml(url)}</p>` : para(m.mail_link_removed({}, o))}
<hr><p style="font-size:13px;color:#555">${escapeHtml(footer)}</p>
</body></html>`;
	return { ...b, text, html };
}
