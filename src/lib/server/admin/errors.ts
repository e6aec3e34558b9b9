import { DomainError, type ErrorKind } from '../errors';

/** Why an admin change was refused; routes turn the code into a message and change nothing. */
export type AdminErrorCode =
	| 'not_found'
	| 'code_taken'
	| 'username_taken'
	| 'cycle'
	| 'parent_inactive'
	| 'has_staff'
	| 'has_children'
	| 'bad_target'
	| 'self'
	| 'import_applied'
	| 'import_mismatch'
	| 'import_has_errors'
	| 'import_stale'
	| 'break_glass_required'
	| 'break_glass_not_admin';

const KIND: Partial<Record<AdminErrorCode, ErrorKind>> = {
	not_found: 'not-found',
	code_taken: 'conflict',
	username_taken: 'conflict',
	import_applied: 'conflict',
	import_stale: 'conflict'
};

export class AdminError extends DomainError<AdminErrorCode> {
	constructor(
		code: AdminErrorCode,
		/** What the code is about (the usernames that are not admins, say), for the message. */
		readonly detail = ''
	) {
		super(KIND[code] ?? 'invalid', code, detail ? `${code}: ${detail}` : code);
	}
}

/** Who made the change, for the audit log (null: a command run on the server). */
export type Actor = { id: number; username: string } | null;
