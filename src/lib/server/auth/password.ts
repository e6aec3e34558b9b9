import { hash, verify } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from './argon2';
import { hashSlot } from './hash-queue';

export function hashPassword(password: string): Promise<string> {
	return hashSlot(() => hash(password.normalize('NFKC'), ARGON2_OPTIONS));
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
