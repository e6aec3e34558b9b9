import { m } from '$lib/paraglide/messages';

/** A revision's state in the reader's language. */
export function stateLabel(state: string): string {
	return (
		(
			{
				draft: m.author_state_draft(),
				in_review: m.author_state_in_review(),
				published: m.author_state_published(),
				retired: m.author_state_retired()
			} as Record<string, string>
		)[state] ?? state
	);
}

/** A refusal of the authoring service in the reader's language (the details stay as the server wrote them). */
export function authorError(code: string | undefined): string {
	const known: Record<string, () => string> = {
		author_has_errors: m.author_err_has_errors,
		author_own_change: m.author_err_own_change,
		author_not_reviewer: m.author_err_not_reviewer,
		author_comment_required: m.author_err_comment_required,
		author_alt_required: m.author_err_alt_required,
		author_image_type: m.author_err_image_type,
		author_image_too_big: m.author_err_image_too_big,
		author_no_right_answer: m.author_err_no_right_answer,
		author_not_draft: m.author_err_not_draft
	};
	return (code && known[code]?.()) || m.author_error();
}
