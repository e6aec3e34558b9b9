// Virtual learners: each signs in, reads lessons (and marks them done), starts a quiz, answers it and
// submits, over and over until time is up, through the same forms a person uses. A submission counts as
// acknowledged when the server answers with the redirect to its result page; one that fails on the way
// (connection cut, 503) is posted again, unchanged, until it is acknowledged.
import { Client, NetworkError, formInputs, type FormInput, type Reply } from './http';

export interface CourseRoute {
	slug: string;
	lessons: string[];
}

export interface LoadOptions {
	/** Base URLs of the app servers; learner i talks to server i mod n. */
	servers: string[];
	usernames: string[];
	password: string;
	courses: CourseRoute[];
	durationMs: number;
	/** How long an unacknowledged submission is retried after the run ends (default 90 s). */
	graceMs?: number;
	/** Stops the clock early (a scenario that has seen what it needed). */
	signal?: AbortSignal;
}

export interface LoadResult {
	learners: number;
	/** Submissions posted at least once. */
	sent: number;
	acknowledged: number;
	/** Attempt ids acknowledged, per username. */
	acknowledgedIds: Map<string, number[]>;
	signIns: number;
	lessonsRead: number;
	/** Requests repeated after a cut connection or a 503. */
	retries: number;
	/** 503 answers seen (database away). */
	unavailable: number;
	/** Sign-ins told "busy, come back in N s" (503 + Retry-After while hashes queue): load shed, not an error. */
	signInsDeferred: number;
	/** Submissions posted more than once (the first post was cut off or met an outage). */
	resubmitted: number;
	requests: number;
	/** Anything a person would call an error: 5xx other than 503, unexpected statuses, lost sessions. */
	errors: string[];
	errorCount: number;
}

const RETRYABLE = new Set([502, 503, 504]);

function pick<T>(items: T[]): T {
	return items[Math.floor(Math.random() * items.length)];
}

/** A person's answers: one option per radio group, some boxes ticked, a word typed. */
function answer(inputs: FormInput[]): [string, string][] {
	const fields: [string, string][] = [];
	const groups = new Map<string, FormInput[]>();
	for (const input of inputs) {
		if (input.type === 'hidden') fields.push([input.name, input.value]);
		else if (input.type === 'text') fields.push([input.name, pick(['answer', '答案', 'ABC'])]);
		else if (input.type === 'radio' || input.type === 'checkbox') groups.set(input.name, [...(groups.get(input.name) ?? []), input]);
	}
	for (const [name, options] of groups) {
		if (options[0].type === 'radio') fields.push([name, pick(options).value]);
		else {
			const ticked = options.filter(() => Math.random() < 0.5);
			for (const o of ticked.length ? ticked : [pick(options)]) fields.push([name, o.value]);
		}
	}
	return fields;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	const result: LoadResult = {
		learners: options.usernames.length,
		sent: 0,
		acknowledged: 0,
		acknowledgedIds: new Map(),
		signIns: 0,
		lessonsRead: 0,
		retries: 0,
		unavailable: 0,
		signInsDeferred: 0,
		resubmitted: 0,
		requests: 0,
		errors: [],
		errorCount: 0
	};
	const end = Date.now() + options.durationMs;
	const giveUp = end + (options.graceMs ?? 90_000);
	const running = () => Date.now() < end && !options.signal?.aborted;
	const error = (message: string) => {
		result.errorCount++;
		if (result.errors.length < 25) result.errors.push(message);
	};

	/** One request, repeated while the server is away (cut connection, 503), until `deadline`. */
	async function send(
		client: Client,
		method: 'GET' | 'POST',
		path: string,
		form?: [string, string][],
		tries = { n: 0 },
		deadline = giveUp
	): Promise<Reply | undefined> {
		for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
			result.requests++;
			tries.n++;
			try {
				const reply = await (method === 'GET' ? client.get(path) : client.post(path, form ?? []));
				if (!RETRYABLE.has(reply.status)) return reply;
				const busy = Number(reply.headers.get('retry-after'));
				if (path === '/login' && reply.status === 503 && busy > 0 && !/Temporarily unavailable|database unavailable/.test(reply.text)) {
					// The server is shedding a crowd of sign-ins: come back when it says, as a person would.
					result.signInsDeferred++;
					if (Date.now() > deadline) return reply;
					await new Promise((r) => setTimeout(r, busy * 1000 * (0.5 + Math.random())));
					continue;
				}
				if (reply.status === 503) result.unavailable++;
			} catch (e) {
				if (!(e instanceof NetworkError)) throw e;
			}
			if (Date.now() > deadline) {
				error(`${method} ${path}: gave up after retrying`);
				return undefined;
			}
			result.retries++;
			await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random())));
		}
	}

	async function learner(index: number, username: string): Promise<void> {
		const client = new Client(options.servers[index % options.servers.length], { timeoutMs: 60_000 });
		const exhausted = new Set<string>();
		let turn = index;
		// Spread the first sign-ins over a second, as a morning does.
		await new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, options.durationMs / 4)));
		const signedIn = await send(client, 'POST', '/login', [
			['username', username],
			['password', options.password]
		]);
		if (!signedIn) return;
		if (signedIn.status !== 303 || !client.sessionCookie()) return error(`sign-in of ${username}: ${signedIn.status}`);
		result.signIns++;
		while (running()) {
			const available = options.courses.filter((c) => !exhausted.has(c.slug));
			if (!available.length) break;
			const course = available[turn++ % available.length];
			const lesson = pick(course.lessons);
			const page = await send(client, 'GET', `/courses/${course.slug}/${lesson}`);
			if (!page) return;
			if (page.status !== 200) return error(`lesson ${course.slug}/${lesson}: ${page.status} ${page.location ?? ''}`);
			const done = await send(client, 'POST', `/courses/${course.slug}/${lesson}?/done`, []);
			if (!done) return;
			if (done.status !== 303) return error(`lesson done ${course.slug}/${lesson}: ${done.status}`);
			result.lessonsRead++;
			if (!running()) break;

			const started = await send(client, 'POST', `/courses/${course.slug}/quiz?/start`, []);
			if (!started) return;
			if (started.status === 400) {
				exhausted.add(course.slug); // attempt limit for the year reached
				continue;
			}
			if (started.status !== 303 || !started.location?.endsWith(`/courses/${course.slug}/quiz`))
				return error(`start ${course.slug}: ${started.status} ${started.location ?? ''}`);
			const quiz = await send(client, 'GET', `/courses/${course.slug}/quiz`);
			if (!quiz) return;
			const inputs = quiz.status === 200 ? formInputs(quiz.text, '?/submit') : undefined;
			if (!inputs) return error(`quiz ${course.slug}: ${quiz.status}, no answer form`);
			const fields = answer(inputs);
			const attemptId = Number(fields.find(([k]) => k === 'attempt')?.[1]);

			result.sent++;
			const tries = { n: 0 };
			const submitted = await send(client, 'POST', `/courses/${course.slug}/quiz?/submit`, fields, tries);
			if (tries.n > 1) result.resubmitted++;
			if (!submitted) return;
			const acknowledged = submitted.status === 303 ? /[?&]attempt=(\d+)/.exec(submitted.location ?? '') : null;
			if (!acknowledged) return error(`submit ${course.slug}: ${submitted.status} ${submitted.location ?? ''}`);
			if (Number(acknowledged[1]) !== attemptId)
				return error(`submit ${course.slug}: acknowledged attempt ${acknowledged[1]}, posted ${attemptId}`);
			result.acknowledged++;
			result.acknowledgedIds.set(username, [...(result.acknowledgedIds.get(username) ?? []), attemptId]);
		}
	}

	await Promise.all(options.usernames.map((u, i) => learner(i, u).catch((e) => error(`${u}: ${(e as Error).stack ?? e}`))));
	return result;
}
