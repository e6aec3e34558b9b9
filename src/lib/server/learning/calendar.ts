// A learner's private calendar feed (iCal, RFC 5545) of their due dates, at /calendar/[token]. The token
// is the credential (160 random bits): calendar apps cannot sign in. It grants reading one person's due
// dates and nothing else; making a new link replaces (revokes) the old one.
import { sql } from 'drizzle-orm';
import { audit } from '../audit';
import { newToken, plausibleToken } from '../admin/tokens';
import { db, rows } from '../db';
import { mailSettings } from '../mail/config';
import { m } from '$lib/paraglide/messages';

export function calendarUrl(origin: string, token: string): string {
	return `${origin.replace(/\/$/, '')}/calendar/${token}`;
}

export async function calendarFeed(userId: number): Promise<{ token: string; createdAt: Date } | null> {
	const [row] = await rows<{ token: string; created_at: Date | string }>(
		db,
		sql`select token, created_at from calendar_feed where user_id = ${userId}`
	);
	return row ? { token: row.token, createdAt: new Date(row.created_at) } : null;
}

/** A new feed link for the person; the old one stops working at once. Audited. */
export async function renewCalendarFeed(user: { id: number; username: string }): Promise<string> {
	const token = newToken();
	await db.transaction(async (tx) => {
		await tx.execute(
			sql`insert into calendar_feed (user_id, token) values (${user.id}, ${token})
			on conflict (user_id) do update set token = excluded.token, created_at = now()`
		);
		await audit({ action: 'calendar.renew', targetType: 'user', targetId: user.id, actor: user }, tx);
	});
	return token;
}

/** RFC 5545 text: escape backslash, semicolon, comma and newlines. */
const text = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
/** Lines are folded at 75 octets (continuation lines start with a space), never inside a UTF-8 character. */
function fold(line: string): string {
	const out: string[] = [];
	let current = '';
	let bytes = 0;
	for (const ch of line) {
		const n = Buffer.byteLength(ch);
		if (bytes + n > (out.length ? 74 : 75)) {
			out.push(current);
			current = '';
			bytes = 0;
		}
		current += ch;
		bytes += n;
	}
	out.push(current);
	return out.join('\r\n ');
}
const ymd = (d: string) => d.replaceAll('-', '');
const stamp = (d: Date) =>
	d
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');

/** The feed for a token, or null when the token is unknown (or its account inactive). */
export async function calendarIcs(token: string): Promise<string | null> {
	if (!plausibleToken(token)) return null;
	const [owner] = await rows<{ id: number; locale: 'zh-CN' | 'en' | null }>(
		db,
		sql`select u.id, u.locale from calendar_feed f join "user" u on u.id = f.user_id where f.token = ${token} and u.status <> 'inactive'`
	);
	if (!owner) return null;
	const locale = owner.locale ?? 'zh-CN';
	const due = await rows<{ assignment_id: number; slug: string; title_zh: string; title_en: string; due: string; required: boolean }>(
		db,
		sql`select ua.assignment_id, c.slug, c.title_zh, c.title_en, to_char(ua.current_due, 'YYYY-MM-DD') as due, ua.required
		from govlearn_user_assignment ua join course c on c.id = ua.course_id and c.present and not c.draft
		where ua.user_id = ${owner.id} and ua.completed_at is null
		order by ua.current_due, c.id`
	);
	const origin = mailSettings().origin;
	const now = stamp(new Date());
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//GovLearn//Due dates//EN',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${text(m.calendar_feed_name({}, { locale }))}`,
		'REFRESH-INTERVAL;VALUE=DURATION:PT6H',
		...due.flatMap((d) => {
			const next = new Date(`${d.due}T00:00:00Z`);
			next.setUTCDate(next.getUTCDate() + 1);
			const title = locale === 'en' ? d.title_en : d.title_zh;
			return [
				'BEGIN:VEVENT',
				`UID:assignment-${d.assignment_id}-user-${owner.id}-${ymd(d.due)}@govlearn`,
				`DTSTAMP:${now}`,
				`DTSTART;VALUE=DATE:${ymd(d.due)}`,
				`DTEND;VALUE=DATE:${ymd(next.toISOString().slice(0, 10))}`,
				`SUMMARY:${text(m.calendar_event({ course: title }, { locale }))}`,
				`URL:${origin}/courses/${d.slug}`,
				'TRANSP:TRANSPARENT',
				'END:VEVENT'
			];
		}),
		'END:VCALENDAR'
	];
	return lines.map(fold).join('\r\n') + '\r\n';
}
