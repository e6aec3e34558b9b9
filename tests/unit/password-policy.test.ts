import { describe, expect, it } from 'vitest';
import { passwordProblem } from '$lib/server/auth/password-policy';

const owner = { username: 'G3002', names: ['𠮷田花子'] };

describe('password policy', () => {
	it.each([
		['G3002', 'short'],
		['g3002 g3002', null],
		['g3002123', 'personal'],
		[' G3002 2026 ', 'personal'],
		['𠮷田花子𠮷田花子', null],
		['𠮷田花子 12345', 'personal'],
		['GovLearn', 'known'],
		['Gov Learn 2026', 'known'],
		['ＧｏｖＬｅａｒｎ', 'known'],
		['政务数字能力学院', 'known'],
		['政务数字能力学院2026', 'known'],
		['govlearn-demo', 'known'],
		['GovLearn Demo', 'known'],
		['password123', 'common'],
		['river-lantern-47', null]
	] as const)('%j is %s', (password, problem) => {
		expect(passwordProblem(password, owner)).toBe(problem);
	});

	it('reads a name either way round, ignoring case, spaces and punctuation', () => {
		for (const name of ['Zhang San', 'Zhang, San', 'zhang·san'])
			for (const password of ['zhangsan', 'ZHANG SAN', 'San Zhang', 'sanzhang99'])
				expect(passwordProblem(password, { username: 'T1', names: [name] }), `${name} / ${password}`).toBe('personal');
	});

	it('without an owner, still refuses the app’s names and the demo password', () => {
		expect(passwordProblem('govlearn-demo')).toBe('known');
		expect(passwordProblem('a long passphrase')).toBe(null);
	});
});
