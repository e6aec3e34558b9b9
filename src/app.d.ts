import type { SessionUser, ValidSession } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: ValidSession | null;
			requestId: string;
			/** Set when a guard refused the request, for the security log. */
			denied?: boolean;
			/** Set by handleError when the database was unreachable: the response becomes a 503. */
			dbUnavailable?: boolean;
		}
		interface Error {
			message: string;
			requestId?: string;
		}
	}
}

export {};
