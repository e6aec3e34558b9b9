// Government sign-in settings from the environment (PRODUCT.md §6.4). Read at start, so a bad value
// stops the server with a message instead of failing the first person who clicks the button.

export interface OidcClaimNames {
	/** Employee number (工号): the GovLearn username. */
	username: string;
	name: string;
	email: string;
	department: string;
}

export interface OidcSettings {
	issuer: URL;
	clientId: string;
	clientSecret: string;
	scope: string;
	claims: OidcClaimNames;
	/** Seconds to wait for the provider before giving up (discovery, token, keys). */
	timeout: number;
	/** True only for an `http://` issuer on a loopback address (tests, local pilots). */
	insecure: boolean;
}

export class OidcConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The settings, or null when OIDC_ISSUER is unset (government sign-in off). Throws OidcConfigError on a bad value. */
export function oidcSettings(env: Record<string, string | undefined> = process.env): OidcSettings | null {
	const raw = env.OIDC_ISSUER?.trim();
	if (!raw) return null;
	let issuer: URL;
	try {
		issuer = new URL(raw);
	} catch {
		throw new OidcConfigError(`OIDC_ISSUER is not a URL: ${raw}`);
	}
	if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname))) {
		throw new OidcConfigError(`OIDC_ISSUER must be https:// (http:// only on a loopback address such as 127.0.0.1): ${raw}`);
	}
	const clientId = env.OIDC_CLIENT_ID?.trim();
	const clientSecret = env.OIDC_CLIENT_SECRET;
	if (!clientId || !clientSecret) throw new OidcConfigError('OIDC_ISSUER is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too');
	const timeout = Number(env.OIDC_TIMEOUT ?? 5);
	if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 60)
		throw new OidcConfigError(`OIDC_TIMEOUT must be a number of seconds from 1 to 60: ${env.OIDC_TIMEOUT}`);
	const claim = (value: string | undefined, fallback: string) => value?.trim() || fallback;
	return {
		issuer,
		clientId,
		clientSecret,
		scope: claim(env.OIDC_SCOPE, 'openid profile email'),
		claims: {
			username: claim(env.OIDC_CLAIM_USERNAME, 'preferred_username'),
			name: claim(env.OIDC_CLAIM_NAME, 'name'),
			email: claim(env.OIDC_CLAIM_EMAIL, 'email'),
			department: claim(env.OIDC_CLAIM_DEPARTMENT, 'department_code')
		},
		timeout,
		insecure: issuer.protocol === 'http:'
	};
}
