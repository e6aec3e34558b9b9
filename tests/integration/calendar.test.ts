// The private iCal feed of a learner's due dates: one all-day event per open assignment, in the
// learner's language; a new link revokes the old one.
import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLibrary } from '../../src/lib/server/content';
import { db, schema } from '../../src/lib/server/db';
import { calendarFeed, calendarIcs, renewCalendarFeed } from '../../src/lib/server/learning/calendar';
import { resetDatabase, testDatabase } from '../helpers/db';
import { createDepartment, createUser, syncLibrary } from '../helpers/factories';

beforeAll(async () => {
	await testDatabase();
});
beforeEach(async () => {
	await resetDatabase();
	useLibrary(await syncLibrary());
});

describe('calendar feed', () => {
	it('lists each open due date as an all-day event; a new link revokes the old one', async () => {
		const root = await createDepartment();
		const u = await createUser({ username: 'cal', department: root });
		await db.update(schema.user).set({ locale: 'en' }).where(eq(schema.user.id, u.id));
		await db.insert(schema.assignment).values({ courseId: 'fixture-basics', departmentId: root.id, dueDate: '2030-06-30' });
		expect(await calendarFeed(u.id)).toBeNull();
		const first = await renewCalendarFeed(u);
		const ics = (await calendarIcs(first))!;
		expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
		expect(ics).toContain('DTSTART;VALUE=DATE:20300630\r\n');
		expect(ics).toContain('DTEND;VALUE=DATE:20300701\r\n');
		expect(ics).toMatch(/SUMMARY:Due: /);
		expect(ics).toContain('/courses/fixture-basics');
		for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
		const second = await renewCalendarFeed(u);
		expect(second).not.toBe(first);
		expect(await calendarIcs(first)).toBeNull();
		expect(await calendarIcs(second)).not.toBeNull();
		expect((await calendarFeed(u.id))?.token).toBe(second);
		expect(await calendarIcs('not a token')).toBeNull();
	});
});
