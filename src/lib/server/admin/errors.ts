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
	| 'import_stale';

export class AdminError extends Error {
	constructor(readonly code: AdminErrorCode) {
		super(code);
	}
}

/** Who made the change, for the audit log (null: a command run on the server). */
export type Actor = { id: number; username: string } | null;
