// The authorization matrix: for every route, form action and endpoint (see routes.ts), who may use it.
// Callers are the demo accounts: anonymous, learner, trainer, hr (scope: the whole city), hrEast (scope:
// the East District) and admin. A caller outside `allow` must be refused: anonymous callers are sent to
// sign in (or get 401/403), signed-in ones get 403 — or 404 where the object itself is hidden from them.
// A route missing here fails the test: decide who may use it, then add it.
import type { FormFields } from '../reliability/http';
import type { Fixtures } from './fixtures';
import { fillRoute } from './routes';

export const CALLERS = ['anonymous', 'learner', 'trainer', 'hr', 'hrEast', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];
export const ACCOUNTS: Record<Exclude<Caller, 'anonymous'>, string> = {
	learner: 'learner',
	trainer: 'trainer',
	hr: 'hr',
	hrEast: 'hr-east',
	admin: 'admin'
};

const EVERYONE = CALLERS;
const SIGNED_IN = ['learner', 'trainer', 'hr', 'hrEast', 'admin'] as const;
const STUDIO = ['trainer', 'admin'] as const;
const HR = ['hr', 'hrEast'] as const;
const ADMIN = ['admin'] as const;

export interface Entry {
	/** Who may use it. */
	allow: readonly Caller[];
	/** The rule in words (shows in failures). */
	why: string;
	/** The URL (default: the route with the fixtures' params). */
	path?: (f: Fixtures) => string | Promise<string>;
	/** Body of a form action or POST endpoint (default: empty — allowed callers then get a validation answer). */
	form?: FormFields;
	/** Statuses an allowed caller may get (default: GET 200; POST anything that is not a refusal or a 5xx). */
	expect?: number[];
	/** How signed-in callers outside `allow` are refused (default 403). */
	refused?: 403 | 404;
	/** The call ends the caller's session: the test signs in again afterwards. */
	endsSession?: boolean;
}

const route = (r: string) => (f: Fixtures) => fillRoute(r, f.params);

export const MATRIX: Record<string, Entry> = {
	// Public and per-person pages
	'GET /': { allow: EVERYONE, why: 'public: sends each person home (sign-in when anonymous)', expect: [303] },
	'GET /login': { allow: EVERYONE, why: 'public sign-in page (signed-in users go on)', expect: [200, 303] },
	// Empty form: 400 "missing"; a signed-in caller is then sent on by the page (303).
	'POST /login': { allow: EVERYONE, why: 'public: where anonymous users become signed in', expect: [400, 303] },
	// Without OIDC_* (as here) both answer 303 to the sign-in page, which explains; with it, /login/oidc goes to the provider (302).
	'GET /login/oidc': { allow: EVERYONE, why: 'public: starts a government sign-in', expect: [302, 303] },
	'GET /login/oidc/callback': {
		allow: EVERYONE,
		why: 'public: the provider sends the browser back here; a reply without a matching sign-in is refused',
		expect: [303]
	},
	'GET /logout': { allow: EVERYONE, why: 'public: a GET just goes home', expect: [303] },
	'POST /logout': { allow: EVERYONE, why: 'public: ends the caller’s own session, if any', expect: [303], endsSession: true },
	'GET /locale': { allow: EVERYONE, why: 'public, action-only route', expect: [303] },
	'POST /locale': { allow: EVERYONE, why: 'public: anyone may switch language', form: { locale: 'zh-CN', redirectTo: '/' }, expect: [303] },
	'GET /healthz': { allow: EVERYONE, why: 'public: load balancers call it without a session' },
	'GET /verify': { allow: EVERYONE, why: 'public certificate verification form' },
	'GET /verify/[code]': { allow: EVERYONE, why: 'public: holder, course, date and validity of a code, nothing else' },
	'GET /certificates/[code]': {
		allow: ['learner', 'hr', 'hrEast', 'admin'],
		why: 'the holder (the demo learner), HR over the holder’s department, admins; for anyone else it does not exist',
		refused: 404
	},
	'GET /me': { allow: SIGNED_IN, why: 'own learning' },
	'GET /account': { allow: SIGNED_IN, why: 'own account' },
	'POST /account?/password': { allow: SIGNED_IN, why: 'own password (empty form: refused as wrong, nothing changes)', expect: [400] },
	'POST /account?/mail': {
		allow: SIGNED_IN,
		why: 'own mail preferences (empty form: every optional kind off for the caller)',
		expect: [200]
	},
	'POST /me?/calendar': { allow: SIGNED_IN, why: 'a new private calendar link for the caller (the old one stops working)', expect: [200] },
	'GET /calendar/[token]': {
		allow: EVERYONE,
		why: 'public: calendar apps cannot sign in, the private token is the credential (an unknown one: 404 for all)',
		path: () => '/calendar/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
		expect: [404]
	},
	'GET /inbox': { allow: SIGNED_IN, why: 'own inbox' },
	'POST /inbox?/read': { allow: SIGNED_IN, why: 'marks the caller’s own messages read', expect: [200] },
	'GET /inbox/[id]': {
		allow: ['learner'],
		why: 'one message of the caller’s own (the demo learner’s here); anyone else’s does not exist',
		path: (f) => `/inbox/${f.ids.learnerMessage}`,
		refused: 404
	},

	// Learning: every signed-in person is a learner
	'GET /courses': { allow: SIGNED_IN, why: 'catalogue' },
	'GET /courses/[course]': { allow: SIGNED_IN, why: 'course overview' },
	'POST /courses/[course]?/start': { allow: SIGNED_IN, why: 'enrols the caller', expect: [303] },
	'GET /courses/[course]/[lesson]': { allow: SIGNED_IN, why: 'lesson' },
	'POST /courses/[course]/[lesson]?/done': { allow: SIGNED_IN, why: 'records the caller’s own progress', expect: [303] },
	'GET /courses/[course]/images/[file]': { allow: SIGNED_IN, why: 'lesson diagrams' },
	'GET /courses/[course]/quiz': { allow: SIGNED_IN, why: 'quiz page (no keys before submission)' },
	// 400 when the caller has used this year's attempts (the demo history has some who have).
	'POST /courses/[course]/quiz?/start': { allow: SIGNED_IN, why: 'starts the caller’s own attempt', expect: [303, 400] },
	'POST /courses/[course]/quiz?/submit': { allow: SIGNED_IN, why: 'submits the caller’s own attempt (empty form: invalid)', expect: [400] },

	// HR insights: HR officers, each within their scope
	'GET /insights': { allow: HR, why: 'HR overview of the own scope' },
	'GET /insights/completion': { allow: HR, why: 'completion matrix of the own scope' },
	'GET /insights/departments/[id]': {
		allow: HR,
		why: 'a department inside the scope (East District Service Centre)',
		path: (f) => `/insights/departments/${f.params.id}`
	},
	'GET /insights/people/[id]': {
		allow: HR,
		why: 'learning record of a person inside the scope (the demo learner)',
		path: (f) => `/insights/people/${f.ids.learnerId}`
	},
	'GET /insights/skills': { allow: HR, why: 'skill-gap heatmap of the own scope' },
	'GET /insights/skills/[department]/[competency]': { allow: HR, why: 'a gap cell inside the scope' },
	'POST /insights/skills/[department]/[competency]': {
		allow: HR,
		why: 'assign remediation inside the scope (empty form: invalid)',
		expect: [400]
	},
	'GET /insights/trend': { allow: HR, why: 'weekly trend of the own scope' },
	'GET /insights/export.csv': { allow: HR, why: 'export of the own scope', path: () => '/insights/export.csv?view=completion' },
	'GET /insights/export.xlsx': { allow: HR, why: 'export of the own scope', path: () => '/insights/export.xlsx?view=completion' },

	// Trainer studio: trainers and admins
	'GET /studio': { allow: STUDIO, why: 'course status' },
	'GET /studio/courses/[course]': { allow: STUDIO, why: 'course preview with drafts' },
	'GET /studio/courses/[course]/analysis': { allow: STUDIO, why: 'item analysis' },
	'GET /studio/courses/[course]/images/[name]': { allow: STUDIO, why: 'preview images, drafts included' },
	'GET /studio/courses/[course]/lessons/[lesson]': { allow: STUDIO, why: 'lesson preview, drafts included' },
	'GET /studio/courses/[course]/quiz': { allow: STUDIO, why: 'quiz preview with the answer key' },
	'GET /studio/assignments': { allow: STUDIO, why: 'assignments' },
	'POST /studio/assignments?/create': { allow: STUDIO, why: 'create an assignment (empty form: invalid)', expect: [400] },
	'GET /studio/assignments/[id]': {
		allow: STUDIO,
		why: 'one assignment',
		path: async (f) => `/studio/assignments/${await f.freshAssignment()}`
	},
	'POST /studio/assignments/[id]?/update': {
		allow: STUDIO,
		why: 'edit an assignment (empty form: invalid)',
		path: async (f) => `/studio/assignments/${await f.freshAssignment()}?/update`,
		expect: [400]
	},
	'POST /studio/assignments/[id]?/end': {
		allow: STUDIO,
		why: 'end an assignment',
		path: async (f) => `/studio/assignments/${await f.freshAssignment()}?/end`,
		expect: [303]
	},
	'GET /studio/import': { allow: STUDIO, why: 'GIFT import' },
	'POST /studio/import': { allow: STUDIO, why: 'GIFT upload (empty form: no file)', expect: [400] },
	'POST /studio/import/download': { allow: STUDIO, why: 'converted quiz download (empty form: nothing to convert)', expect: [400] },
	// Authoring (issue 14): trainers write, reviewers (trainers with the reviewer role) publish
	'GET /studio/edit': { allow: STUDIO, why: 'drafts and reviews, new course form' },
	'POST /studio/edit?/create': { allow: STUDIO, why: 'create a course (empty form: invalid id)', expect: [400] },
	'GET /studio/edit/[course]': { allow: STUDIO, why: 'a course’s revisions, draft and review' },
	'POST /studio/edit/[course]?/start': { allow: STUDIO, why: 'opens a draft (or returns the open one)', expect: [200] },
	'POST /studio/edit/[course]?/settings': { allow: STUDIO, why: 'course settings (empty form: invalid)', expect: [400] },
	'POST /studio/edit/[course]?/addLesson': { allow: STUDIO, why: 'add a lesson (empty form: no such revision)', expect: [404] },
	'POST /studio/edit/[course]?/moveLesson': { allow: STUDIO, why: 'reorder lessons (empty form: no such revision)', expect: [404] },
	'POST /studio/edit/[course]?/retireLesson': { allow: STUDIO, why: 'retire a lesson (empty form: no such revision)', expect: [404] },
	'POST /studio/edit/[course]?/question': { allow: STUDIO, why: 'question form (empty form: invalid type)', expect: [400] },
	'POST /studio/edit/[course]?/image': { allow: STUDIO, why: 'image upload (empty form: no file)', expect: [400] },
	'POST /studio/edit/[course]?/gift': { allow: STUDIO, why: 'GIFT bank into the draft (empty form: no file)', expect: [400] },
	'POST /studio/edit/[course]?/submit': { allow: STUDIO, why: 'submit for review (empty form: no such revision)', expect: [404] },
	// Publishing needs the reviewer role besides (the service refuses others; tests/integration/authoring.test.ts).
	'POST /studio/edit/[course]?/approve': { allow: STUDIO, why: 'publish (empty form: no such revision)', expect: [404] },
	'POST /studio/edit/[course]?/sendBack': { allow: STUDIO, why: 'send back (empty form: no such revision)', expect: [404] },
	'POST /studio/edit/[course]?/republish': { allow: STUDIO, why: 'rollback (empty form: no such revision)', expect: [404] },
	'POST /studio/edit/[course]?/discard': { allow: STUDIO, why: 'discard a draft (empty form: invalid)', expect: [400] },
	'GET /studio/edit/[course]/file/[name]': {
		allow: STUDIO,
		why: 'Markdown editor of a draft file',
		path: (f) => `/studio/edit/${f.params.course}/file/course.zh-CN.md`,
		expect: [200, 404]
	},
	'POST /studio/edit/[course]/file/[name]?/save': {
		allow: STUDIO,
		why: 'save a draft file (empty form: no such revision or file)',
		path: (f) => `/studio/edit/${f.params.course}/file/course.zh-CN.md?/save`,
		expect: [404, 409]
	},
	'POST /studio/edit/[course]/file/[name]?/preview': {
		allow: STUDIO,
		why: 'preview without saving',
		path: (f) => `/studio/edit/${f.params.course}/file/course.zh-CN.md?/preview`,
		expect: [200, 404]
	},
	'GET /studio/edit/[course]/diff': {
		allow: STUDIO,
		why: 'diff of two revisions',
		path: (f) => `/studio/edit/${f.params.course}/diff?from=1&to=1`
	},
	'GET /studio/edit/[course]/download/[revision]': {
		allow: STUDIO,
		why: 'a revision as a zip',
		path: (f) => `/studio/edit/${f.params.course}/download/1`
	},
	'GET /studio/edit/[course]/images/[name]': { allow: STUDIO, why: 'draft images for previews' },

	// Account activation: the link is the credential
	'GET /activate/[token]': {
		allow: EVERYONE,
		why: 'public: the one-time link itself is the credential (an unknown token shows "invalid")',
		path: () => '/activate/not-a-real-activation-token-0000000000'
	},
	'POST /activate/[token]': {
		allow: EVERYONE,
		why: 'public: sets the password of the link’s account (unknown token: refused)',
		path: () => '/activate/not-a-real-activation-token-0000000000',
		form: { password: 'a-long-enough-password', confirm: 'a-long-enough-password' },
		expect: [400]
	},

	// Forgot password: the same answer whether or not the account exists; the link is the credential
	'GET /password-reset': { allow: EVERYONE, why: 'public: the forgot-password form' },
	'POST /password-reset': { allow: EVERYONE, why: 'public: asks for a reset link (empty form: missing username)', expect: [400] },
	'GET /password-reset/[token]': {
		allow: EVERYONE,
		why: 'public: the one-time link itself is the credential (an unknown token shows "invalid")',
		path: () => '/password-reset/not-a-real-reset-token-00000000000'
	},
	'POST /password-reset/[token]': {
		allow: EVERYONE,
		why: 'public: sets the password of the link’s account (unknown token: refused)',
		path: () => '/password-reset/not-a-real-reset-token-00000000000',
		form: { password: 'a-long-enough-password', confirm: 'a-long-enough-password' },
		expect: [400]
	},

	// Administration: admins only (destructive calls act on accounts and departments made for them)
	'GET /admin': { allow: ADMIN, why: 'administration' },
	'GET /admin/outbox': { allow: ADMIN, why: 'every message’s mail status, errors and bodies' },
	'POST /admin/outbox?/resend': { allow: ADMIN, why: 'puts a failed message back in the queue (empty form: refused)', expect: [400] },
	'GET /admin/audit': { allow: ADMIN, why: 'audit log' },
	'GET /admin/sign-in': { allow: ADMIN, why: 'sign-in settings and refused government sign-ins' },
	'POST /admin/sign-in': { allow: ADMIN, why: 'password sign-in on/off and break-glass admins (empty form: invalid)', expect: [400] },
	'GET /admin/departments': { allow: ADMIN, why: 'department tree' },
	'POST /admin/departments?/create': { allow: ADMIN, why: 'create a department (empty form: invalid)', expect: [400] },
	'GET /admin/departments/[id]': { allow: ADMIN, why: 'one department', path: (f) => `/admin/departments/${f.params.id}` },
	'POST /admin/departments/[id]?/update': {
		allow: ADMIN,
		why: 'rename (empty form: invalid)',
		path: async (f) => `/admin/departments/${await f.freshDepartment()}?/update`,
		expect: [400]
	},
	'POST /admin/departments/[id]?/move': {
		allow: ADMIN,
		why: 'move (empty form: invalid)',
		path: async (f) => `/admin/departments/${await f.freshDepartment()}?/move`,
		expect: [400]
	},
	'POST /admin/departments/[id]?/deactivate': {
		allow: ADMIN,
		why: 'deactivate (an empty department needs no successor)',
		path: async (f) => `/admin/departments/${await f.freshDepartment()}?/deactivate`,
		expect: [200, 303, 400]
	},
	'POST /admin/departments/[id]?/reactivate': {
		allow: ADMIN,
		why: 'reactivate',
		path: async (f) => `/admin/departments/${await f.freshDepartment()}?/reactivate`,
		expect: [200, 303, 400]
	},
	'GET /admin/users': { allow: ADMIN, why: 'accounts' },
	'GET /admin/users/new': { allow: ADMIN, why: 'new account form' },
	'POST /admin/users/new': { allow: ADMIN, why: 'create an account (empty form: invalid)', expect: [400] },
	'GET /admin/users/[id]': { allow: ADMIN, why: 'one account', path: (f) => `/admin/users/${f.ids.learnerId}` },
	'POST /admin/users/[id]?/profile': {
		allow: ADMIN,
		why: 'edit an account (empty form: invalid)',
		path: async (f) => `/admin/users/${await f.freshUser()}?/profile`,
		expect: [400]
	},
	'POST /admin/users/[id]?/roles': {
		allow: ADMIN,
		why: 'grant roles (empty form: invalid)',
		path: async (f) => `/admin/users/${await f.freshUser()}?/roles`,
		expect: [200, 400]
	},
	'POST /admin/users/[id]?/deactivate': {
		allow: ADMIN,
		why: 'deactivate an account',
		path: async (f) => `/admin/users/${await f.freshUser()}?/deactivate`,
		expect: [200, 303]
	},
	'POST /admin/users/[id]?/reactivate': {
		allow: ADMIN,
		why: 'reactivate an account',
		path: async (f) => `/admin/users/${await f.freshUser()}?/reactivate`,
		expect: [200, 303, 400]
	},
	'POST /admin/users/[id]?/reset': {
		allow: ADMIN,
		why: 'issue a new activation link',
		path: async (f) => `/admin/users/${await f.freshUser()}?/reset`,
		expect: [200, 303]
	},
	'GET /admin/import': { allow: ADMIN, why: 'staff import' },
	'POST /admin/import?/preview': { allow: ADMIN, why: 'upload a staff file (empty form: no file)', expect: [400] },
	'GET /admin/import/[id]': { allow: ADMIN, why: 'an import preview', path: async (f) => `/admin/import/${await f.freshImportBatch()}` },
	'GET /admin/import/[id]/errors.csv': {
		allow: ADMIN,
		why: 'row errors of an import',
		path: async (f) => `/admin/import/${await f.freshImportBatch()}/errors.csv`
	},
	'POST /admin/import/[id]/apply': {
		allow: ADMIN,
		why: 'apply an import (no hash: refused back to the preview)',
		path: async (f) => `/admin/import/${await f.freshImportBatch()}/apply`,
		expect: [303]
	},
	'POST /admin/import/[id]/links': {
		allow: ADMIN,
		why: 'reissue activation links of an import',
		path: async (f) => `/admin/import/${await f.freshImportBatch()}/links`,
		expect: [303]
	}
};

/** The URL to request for an entry (actions get their ?/name unless the entry gives a full path). */
export async function entryPath(key: string, entry: Entry, f: Fixtures): Promise<string> {
	if (entry.path) return entry.path(f);
	const [, target] = key.split(' ');
	const [routePart, action] = target.split('?');
	return route(routePart)(f) + (action ? `?${action}` : '');
}
