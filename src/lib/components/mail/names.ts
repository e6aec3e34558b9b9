// Display names of message kinds and mail statuses (the server renders message bodies; these are labels).
import { m } from '$lib/paraglide/messages';

export function kindName(kind: string): string {
	const names: Record<string, () => string> = {
		activation: m.mail_kind_activation,
		password_reset: m.mail_kind_password_reset,
		assignment_new: m.mail_kind_assignment_new,
		reminder_due: m.mail_kind_reminder_due,
		reminder_overdue: m.mail_kind_reminder_overdue,
		hr_digest: m.mail_kind_hr_digest,
		certificate: m.mail_kind_certificate
	};
	return names[kind]?.() ?? kind;
}

export function mailStatusName(status: string): string {
	const names: Record<string, () => string> = {
		none: m.mail_status_none,
		outbox: m.mail_status_outbox,
		queued: m.mail_status_queued,
		sending: m.mail_status_sending,
		sent: m.mail_status_sent,
		failed: m.mail_status_failed
	};
	return names[status]?.() ?? status;
}
