// Services report domain errors; the route layer's one helper turns them into HTTP answers.
import { isActionFailure, isHttpError } from '@sveltejs/kit';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdminError } from '../../src/lib/server/admin/errors';
import { AssignmentError } from '../../src/lib/server/assignments';
import { DomainError, type ErrorKind } from '../../src/lib/server/errors';
import { answer, raise, refuse } from '../../src/lib/server/route-errors';
import { actions } from '../../src/routes/(admin)/admin/departments/+page.server';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser } from '../helpers/factories';

const request = vi.hoisted(() => ({ event: undefined as unknown }));
vi.mock('$app/server', () => ({ getRequestEvent: () => request.event }));

function caught(fn: () => unknown): unknown {
	try {
		fn();
	} catch (e) {
		return e;
	}
	throw new Error('nothing thrown');
}

describe('the domain-error helper', () => {
	it('answers each kind with its status and the service’s message', () => {
		const statuses: Record<ErrorKind, number> = { 'not-found': 404, forbidden: 403, invalid: 400, conflict: 409 };
		for (const [kind, status] of Object.entries(statuses) as [ErrorKind, number][]) {
			const e = caught(() => raise(new DomainError(kind, 'code', 'what went wrong')));
			expect(isHttpError(e, status)).toBe(true);
			expect((e as { body: { message: string } }).body.message).toBe('what went wrong');
		}
	});

	it('leaves other errors alone, so a bug is still a 500', async () => {
		const bug = new TypeError('x is undefined');
		expect(caught(() => raise(bug))).toBe(bug);
		await expect(answer(() => Promise.reject(bug))).rejects.toBe(bug);
		expect(caught(() => refuse(bug, AdminError, () => ({})))).toBe(bug);
		// A domain error of another service is not this form's to show.
		const other = new AssignmentError('ended', 'assignment 1 has ended');
		expect(caught(() => refuse(other, AdminError, () => ({})))).toBe(other);
	});

	it('answers a sync or async service call in a load', async () => {
		expect(await answer(() => 42)).toBe(42);
		const e = await answer(() => Promise.reject(new AssignmentError('not-found', 'no assignment 7'))).catch((x) => x);
		expect(isHttpError(e, 404)).toBe(true);
	});

	it('turns a refused form into fail() with what the form shows', () => {
		const failure = refuse(new AdminError('cycle'), AdminError, (err) => ({ error: err.code }));
		expect(isActionFailure(failure)).toBe(true);
		expect(failure).toMatchObject({ status: 400, data: { error: 'cycle' } });
		expect(refuse(new AdminError('not_found'), AdminError, (err) => ({ error: err.code })).status).toBe(404);
		expect(refuse(new AssignmentError('out-of-scope', 'x'), AssignmentError, () => ({})).status).toBe(403);
	});
});

describe('a route using it', () => {
	beforeAll(async () => {
		await testDatabase();
	});
	beforeEach(resetDatabase);

	it('shows a taken department code on the form, as a conflict', async () => {
		const dept = await createDepartment({ code: 'EAST' });
		const admin = await createUser({ department: dept, roles: ['admin'] });
		const post = (code: string) => {
			const body = new FormData();
			for (const [k, v] of Object.entries({ code, nameZh: '东城区', nameEn: 'East', parentId: '' })) body.set(k, v);
			const event = {
				request: new Request('http://localhost/admin/departments?/create', { method: 'POST', body }),
				locals: { user: admin },
				url: new URL('http://localhost/admin/departments')
			};
			request.event = event;
			return actions.create(event as never);
		};
		const refused = await post('EAST');
		expect(refused).toMatchObject({ status: 409, data: { error: 'code_taken', field: 'code', values: { code: 'EAST' } } });
		// A free code goes through (the redirect to the new department).
		const done = await Promise.resolve(post('WEST')).catch((e) => e);
		expect(done).toMatchObject({ status: 303 });
	});
});
