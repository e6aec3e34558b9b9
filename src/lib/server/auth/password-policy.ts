import list from './common-passwords.txt?raw';

let common: Set<string> | undefined;

export type PasswordProblem = 'short' | 'common' | 'long';

/**
 * NIST 800-63B style: at least 8 characters, not a commonly used password, no composition rules.
 * The list is the top of SecLists' 10-million password list plus common Chinese choices.
 */
export function passwordProblem(password: string): PasswordProblem | null {
	if ([...password].length < 8) return 'short';
	if (password.length > 256) return 'long';
	common ??= new Set(list.split('\n').filter(Boolean));
	return common.has(password.toLowerCase()) ? 'common' : null;
}
