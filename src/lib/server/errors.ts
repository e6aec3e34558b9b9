// What went wrong, in the domain's words. Services throw these and never @sveltejs/kit's error or
// redirect (the auth guards are the exception: they are the route boundary); the route layer answers
// them with the one helper in ./route-errors.ts. `code` is what a form shows (a key its page turns into a
// message), `message` what an error page, a log or a command prints.

export type ErrorKind = 'not-found' | 'forbidden' | 'invalid' | 'conflict';

export class DomainError<Code extends string = string> extends Error {
	constructor(
		readonly kind: ErrorKind,
		readonly code: Code,
		message: string = code,
		readonly params: Readonly<Record<string, string | number>> = {}
	) {
		super(message);
		this.name = new.target.name;
	}
}
