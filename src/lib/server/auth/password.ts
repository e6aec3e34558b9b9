import { hash, verify } from '@node-rs/argon2';
import { hashSlot } from './hash-queue';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. `algorithm: 2` is Argon2id (a const enum upstream).
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32, algorithm: 2 } as const;

export function hashPassword(password: string): Promise<string> {
	return hashSlot(() => hash(password.normalize('NFKC'), OPTIONS));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await hashSlot(() => verify(passwordHash, password.normalize('NFKC')));
	} catch {
		return false;
	}
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
	dummy ??= hashPassword('govlearn-no-such-account');
	return dummy;
}
