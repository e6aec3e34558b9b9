import list from './common-passwords.txt?raw';

let common: Set<string> | undefined;

export type PasswordProblem = 'short' | 'common' | 'long' | 'personal' | 'known';

/** Who the password is for: their username and name are the first guesses of anyone who knows them. */
export interface PasswordOwner {
	username?: string | null;
	names?: (string | null | undefined)[];
}

/** The app's own names (both languages) and the demo password printed in the README and on the sign-in page. */
const KNOWN_WORDS = ['GovLearn', '政务数字能力学院', 'govlearn-demo'];

/** Case, width, spaces and punctuation do not make a password different: `Gov Learn`, `ＧｏｖＬｅａｒｎ` = `govlearn`. */
function normalise(text: string): string {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\s\p{P}\p{S}]/gu, '');
}

/** The word itself, or the word with only digits after it (`zhangsan2024`). */
function isWord(password: string, words: string[]): boolean {
	const p = normalise(password);
	return words.some((word) => {
		const w = normalise(word);
		return [...w].length >= 2 && p.startsWith(w) && /^\d*$/.test(p.slice(w.length));
	});
}

/** A name as written and with its words the other way round (`Zhang San`, `San Zhang`). */
function nameForms(name: string): string[] {
	const words = name.split(/[\s,·.]+/).filter(Boolean);
	return [name, words.reverse().join(' ')];
}

/**
 * NIST 800-63B style: at least 8 characters, not a commonly used password, not the owner's username or
 * name, not the app's name or the demo password; no composition rules. The list is the top of SecLists'
 * 10-million password list plus common Chinese choices.
 */
export function passwordProblem(password: string, owner: PasswordOwner = {}): PasswordProblem | null {
	if ([...password].length < 8) return 'short';
	if (password.length > 256) return 'long';
	if (isWord(password, KNOWN_WORDS)) return 'known';
	const personal = [owner.username ?? '', ...(owner.names ?? []).flatMap((n) => (n ? nameForms(n) : []))];
	if (isWord(password, personal)) return 'personal';
	common ??= new Set(list.split('\n').filter(Boolean));
	return common.has(password.toLowerCase()) ? 'common' : null;
}
