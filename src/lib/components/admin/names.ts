import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

/** A department's name in the interface language. */
export function deptName(d: { nameZh: string; nameEn: string }): string {
	return getLocale() === 'en' ? d.nameEn : d.nameZh;
}

export function roleName(role: string): string {
	return (
		(
			{
				learner: m.role_learner(),
				trainer: m.role_trainer(),
				hr: m.role_hr(),
				admin: m.role_admin(),
				reviewer: m.role_reviewer()
			} as Record<string, string>
		)[role] ?? role
	);
}

export function statusName(status: string): string {
	return (
		({ active: m.adm_status_active(), pending: m.adm_status_pending(), inactive: m.adm_status_inactive() } as Record<string, string>)[
			status
		] ?? status
	);
}

export function statusTone(status: string): 'ok' | 'warn' | 'neutral' {
	return status === 'active' ? 'ok' : status === 'pending' ? 'warn' : 'neutral';
}

/** "2026-11-25 18:02 UTC": what the server knows for certain. */
export function utc(at: Date | string): string {
	return new Date(at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** The message for a refused admin change (codes from AdminError and the routes' own checks). */
export function problemText(code: string | undefined | null): string {
	if (!code) return '';
	const messages: Record<string, () => string> = {
		invalid: m.adm_err_invalid,
		not_found: m.adm_err_not_found,
		code_taken: m.adm_err_code_taken,
		username_taken: m.adm_err_username_taken,
		cycle: m.adm_err_cycle,
		parent_inactive: m.adm_err_parent_inactive,
		has_staff: m.adm_err_has_staff,
		has_children: m.adm_err_has_children,
		bad_target: m.adm_err_bad_target,
		self: m.adm_err_self,
		import_applied: m.adm_err_import_applied,
		import_mismatch: m.adm_err_import_mismatch,
		import_has_errors: m.adm_err_import_has_errors,
		import_stale: m.adm_err_import_stale,
		break_glass_required: m.adm_signin_err_required
	};
	return (messages[code] ?? m.adm_err_invalid)();
}

/** Why a government sign-in was refused (the reason recorded in the audit log). */
export function ssoReasonText(reason: string): string {
	const messages: Record<string, () => string> = {
		state: m.sso_err_state,
		rejected: m.sso_err_rejected,
		token: m.sso_err_token,
		unavailable: m.sso_err_unavailable,
		bad_claims: m.sso_err_bad_claims,
		unknown_department: m.sso_err_unknown_department,
		inactive: m.sso_err_inactive,
		not_configured: m.sso_err_not_configured
	};
	return (messages[reason] ?? m.sso_err_token)();
}

/** A column of the staff file, named as the admin knows it. */
export function fieldName(field: string): string {
	return (
		(
			{
				username: m.adm_field_username(),
				name: m.adm_field_name(),
				department: m.adm_field_department(),
				email: m.adm_field_email(),
				roles: m.adm_field_roles(),
				status: m.adm_field_status()
			} as Record<string, string>
		)[field] ?? field
	);
}

/** What is wrong with one cell of the staff file. */
export function rowErrorText(e: { kind: string; firstRow?: number }): string {
	switch (e.kind) {
		case 'missing':
			return m.adm_rowerr_missing();
		case 'duplicate':
			return m.adm_rowerr_duplicate({ row: String(e.firstRow ?? '?') });
		case 'bad_email':
			return m.adm_rowerr_bad_email();
		case 'unknown_department':
			return m.adm_rowerr_unknown_department();
		case 'inactive_department':
			return m.adm_rowerr_inactive_department();
		case 'unknown_role':
			return m.adm_rowerr_unknown_role();
		case 'bad_username':
			return m.adm_rowerr_bad_username();
		case 'too_long':
			return m.adm_rowerr_too_long();
		case 'bad_status':
			return m.adm_rowerr_bad_status();
		case 'own_admin':
			return m.adm_rowerr_own_admin();
		case 'last_admin':
			return m.adm_rowerr_last_admin();
		default:
			return e.kind;
	}
}
