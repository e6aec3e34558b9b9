// Government sign-in with OpenID Connect (openid-client, a certified relying party): authorization
// code with PKCE, state and nonce. Nothing about a sign-in in flight lives in this process: the
// browser carries an id, the oidc_login row the rest, so any app server can finish it.
import * as client from 'openid-client';
import { eq, lt } from 'drizzle-orm';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { audit } from '../audit';
import { db, schema } from '../db';
import { oidcSettings, type OidcSettings } from './oidc-config';
import { provisionAccount, readClaims, type ProvisionFailure } from './provision';
import { createSession } from './session';
import { safeRedirect } from '../security/redirect';

/** How long a person may take at the provider's sign-in page. */
const LOGIN_TTL_MS = 10 * 60_000;
/** Provider metadata and keys are re-read this often (a key rotation there needs no restart here). */
const DISCOVERY_TTL_MS = 60 * 60_000;

export const OIDC_COOKIE = 'govlearn_oidc';

export type OidcFailure = 'not_configured' | 'state' | 'rejected' | 'token' | 'unavailable' | ProvisionFailure;

export type OidcSignIn =
	| { ok: true; token: string; expiresAt: Date; userId: number; username: string; locale: 'zh-CN' | 'en' | null; redirectTo: string }
	| { ok: false; reason: OidcFailure };

let settingsOverride: OidcSettings | null | undefined;

/** Tests point the app at their own provider; everyone else reads the environment. */
export function useOidcSettings(settings: OidcSettings | null | undefined): void {
	settingsOverride = settings;
	discovered.clear();
}

export function settings(): OidcSettings | null {
	return settingsOverride !== undefined ? settingsOverride : oidcSettings();
}

export function oidcEnabled(): boolean {
	return settings() !== null;
}

// Metadata per issuer (not per user): caching it keeps one provider round trip off every sign-in.
const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();

function configuration(s: OidcSettings): Promise<client.Configuration> {
	const key = `${s.issuer.href} ${s.clientId}`;
	const hit = discovered.get(key);
	if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
	// client_secret_basic: the method a registered client gets unless it asks for another (OIDC Core §9).
	const config = client.discovery(s.issuer, s.clientId, { client_secret: s.clientSecret }, client.ClientSecretBasic(s.clientSecret), {
		timeout: s.timeout,
		// ID token signatures are checked against the provider's keys even though the token came over
		// the back channel: the spec lets TLS stand in for that, but a loopback pilot has no TLS, and a
		// proxy in between should not be able to name who signs in.
		execute: [client.enableNonRepudiationChecks, ...(s.insecure ? [client.allowInsecureRequests] : [])]
	});
	discovered.set(key, { at: Date.now(), config });
	// A provider that was down must be asked again next time, not remembered as down.
	config.catch(() => discovered.get(key)?.config === config && discovered.delete(key));
	return config;
}

function randomId(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

function failure(reason: OidcFailure, detail?: string, userId?: number) {
	return audit({
		action: 'auth.login.failure',
		targetType: userId ? 'user' : 'oidc',
		targetId: userId ?? reason,
		after: { method: 'oidc', reason, ...(detail ? { detail } : {}) },
		actor: null
	});
}

/** Why openid-client refused, as one of the reasons the sign-in page explains. */
function classify(e: unknown): { reason: OidcFailure; detail: string } {
	const code = (e as { code?: string })?.code ?? '';
	const name = (e as Error)?.name ?? '';
	const cause = (e as { cause?: { name?: string; code?: string } })?.cause;
	if (
		name === 'TimeoutError' ||
		name === 'AbortError' ||
		cause?.name === 'TimeoutError' ||
		(e instanceof TypeError && /fetch/i.test(e.message))
	)
		return { reason: 'unavailable', detail: name || 'fetch' };
	if (e instanceof client.AuthorizationResponseError) return { reason: 'rejected', detail: e.error };
	if (e instanceof client.ResponseBodyError) return { reason: e.status >= 500 ? 'unavailable' : 'rejected', detail: e.error };
	if (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON' || code === 'OAUTH_HTTP_REQUEST_FORBIDDEN')
		return { reason: 'unavailable', detail: code };
	if (code.startsWith('OAUTH_') || code.startsWith('ERR_JOSE') || code.startsWith('ERR_JW')) return { reason: 'token', detail: code };
	return { reason: 'token', detail: code || name || 'error' };
}

/**
 * Starts a sign-in: stores state, nonce and PKCE verifier, returns the provider's authorization URL
 * and the id for the browser's cookie. Null when the provider cannot be reached (logged).
 */
export async function beginSignIn(
	origin: string,
	redirectTo: string | null
): Promise<{ url: string; loginId: string } | { reason: OidcFailure }> {
	const s = settings();
	if (!s) return { reason: 'not_configured' };
	let config: client.Configuration;
	try {
		config = await configuration(s);
	} catch (e) {
		const { detail } = classify(e);
		await failure('unavailable', detail);
		return { reason: 'unavailable' };
	}
	const state = client.randomState();
	const nonce = client.randomNonce();
	const codeVerifier = client.randomPKCECodeVerifier();
	const loginId = randomId();
	await db.delete(schema.oidcLogin).where(lt(schema.oidcLogin.expiresAt, new Date()));
	await db.insert(schema.oidcLogin).values({
		id: loginId,
		state,
		nonce,
		codeVerifier,
		redirectTo: safeRedirect(redirectTo, origin),
		expiresAt: new Date(Date.now() + LOGIN_TTL_MS)
	});
	const url = client.buildAuthorizationUrl(config, {
		redirect_uri: callbackUrl(origin),
		scope: s.scope,
		state,
		nonce,
		code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
		code_challenge_method: 'S256'
	});
	return { url: url.href, loginId };
}

export function callbackUrl(origin: string): string {
	return `${origin}/login/oidc/callback`;
}

/**
 * Finishes a sign-in from the provider's callback URL: the stored state must match (and is used up
 * whatever happens), the code is exchanged, the ID token checked (signature, issuer, audience,
 * expiry, nonce), the account linked or created, and a session opened. Every refusal is logged.
 */
export async function finishSignIn(currentUrl: URL, loginId: string | undefined): Promise<OidcSignIn> {
	const s = settings();
	if (!s) return { ok: false, reason: 'not_configured' };
	const [pending] =
		loginId && loginId.length <= 64 ? await db.delete(schema.oidcLogin).where(eq(schema.oidcLogin.id, loginId)).returning() : [];
	const state = currentUrl.searchParams.get('state');
	if (!pending || pending.expiresAt.getTime() < Date.now() || state !== pending.state) {
		await failure('state', !pending ? 'no sign-in in progress' : state !== pending.state ? 'state mismatch' : 'expired');
		return { ok: false, reason: 'state' };
	}
	let claims: Record<string, unknown>;
	let idToken: string;
	try {
		const config = await configuration(s);
		const tokens = await client.authorizationCodeGrant(config, currentUrl, {
			pkceCodeVerifier: pending.codeVerifier,
			expectedState: pending.state,
			expectedNonce: pending.nonce,
			idTokenExpected: true
		});
		const idClaims = tokens.claims();
		if (!tokens.id_token || !idClaims) throw Object.assign(new Error('no ID token'), { code: 'OAUTH_MISSING_ID_TOKEN' });
		idToken = tokens.id_token;
		claims = { ...idClaims };
		// Profile claims the ID token leaves out come from the UserInfo endpoint, for the same subject.
		const missing = Object.values(s.claims).some((name) => claims[name] === undefined);
		if (missing && config.serverMetadata().userinfo_endpoint && tokens.access_token) {
			const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
			claims = { ...info, ...claims };
		}
	} catch (e) {
		const { reason, detail } = classify(e);
		await failure(reason, detail);
		return { ok: false, reason };
	}
	const identity = readClaims(claims, s.claims);
	if (!identity) {
		await failure('bad_claims', `claim ${s.claims.username} missing or not an employee number`);
		return { ok: false, reason: 'bad_claims' };
	}
	const account = await provisionAccount(identity);
	if (!account.ok) {
		await audit({
			action: 'auth.login.failure',
			targetType: account.userId ? 'user' : 'username',
			targetId: account.userId ?? identity.username,
			after: {
				method: 'oidc',
				reason: account.reason,
				username: identity.username,
				name: identity.name,
				department: identity.departmentCode
			},
			actor: null
		});
		return { ok: false, reason: account.reason };
	}
	const { token, session } = await createSession(account.user.id, account.user.roles, db, { idToken });
	await audit({
		action: 'auth.login.success',
		targetType: 'user',
		targetId: account.user.id,
		after: { method: 'oidc', ...(account.created ? { created: true } : {}) },
		actor: { id: account.user.id, username: account.user.username }
	});
	return {
		ok: true,
		token,
		expiresAt: session.expiresAt,
		userId: account.user.id,
		username: account.user.username,
		locale: account.user.locale,
		redirectTo: pending.redirectTo
	};
}

/**
 * Where to send the browser after GovLearn's own session has ended: the provider's end-session
 * endpoint (RP-initiated logout) when it has one and the session came from it, else null.
 */
export async function endSessionUrl(origin: string, idToken: string | null): Promise<string | null> {
	const s = settings();
	if (!s || !idToken) return null;
	try {
		const config = await configuration(s);
		if (!config.serverMetadata().end_session_endpoint) return null;
		return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: `${origin}/`, client_id: s.clientId })
			.href;
	} catch {
		// The provider is down: GovLearn's session is over anyway; the provider's ends on its own.
		return null;
	}
}

/** The provider's origin, which the sign-out form may be redirected to (CSP form-action). */
export function providerOrigin(): string | null {
	return settings()?.issuer.origin ?? null;
}
