// The route layer's one translation of domain errors (./errors.ts) into HTTP answers: not found 404,
// forbidden 403, invalid 400, conflict 409. Anything else is rethrown untouched, so a bug stays a 500.
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { DomainError, type ErrorKind } from './errors';

const STATUS: Record<ErrorKind, number> = { 'not-found': 404, forbidden: 403, invalid: 400, conflict: 409 };

/** The HTTP status a domain error answers with. */
export function statusOf(e: DomainError): number {
	return STATUS[e.kind];
}

/** In a load or an endpoint: a domain error becomes the error page with its status and message. */
export function raise(e: unknown): never {
	if (e instanceof DomainError) error(statusOf(e), e.message);
	throw e;
}

/** Runs one service call in a load or an endpoint, answering a domain error as `raise` does. */
export async function answer<T>(work: () => T | Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (e) {
		raise(e);
	}
}

/**
 * In a form action: an error of `type` becomes `fail(status, data(e))`, what the form shows again;
 * anything else is rethrown.
 */
export function refuse<E extends DomainError, T extends Record<string, unknown>>(
	e: unknown,
	type: abstract new (...args: never[]) => E,
	data: (e: E) => T
): ActionFailure<T> {
	if (e instanceof type) return fail(statusOf(e), data(e));
	throw e;
}
