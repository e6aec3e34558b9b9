import { db, schema, type Executor } from './db';
import { currentRequest } from './request-context';
import { securityLog } from './security/log';

export interface AuditInput {
	action: string;
	targetType?: string;
	targetId?: string | number;
	before?: unknown;
	after?: unknown;
	actor?: { id: number; username: string } | null;
}

/** Appends to the audit log (and the security log); pass the transaction that made the change. */
export async function audit(entry: AuditInput, executor: Executor = db): Promise<void> {
	const event = currentRequest();
	const actor = entry.actor === undefined ? event?.locals.user : entry.actor;
	const row = {
		actorId: actor?.id ?? null,
		actorUsername: actor?.username ?? null,
		action: entry.action,
		targetType: entry.targetType ?? null,
		targetId: entry.targetId === undefined ? null : String(entry.targetId),
		before: entry.before ?? null,
		after: entry.after ?? null,
		ip: event ? safeIp(event) : null,
		requestId: event?.locals.requestId ?? null
	};
	await executor.insert(schema.auditLog).values(row);
	securityLog(entry.action, {
		actor: row.actorUsername,
		target: row.targetType ? `${row.targetType}:${row.targetId}` : undefined,
		ip: row.ip,
		requestId: row.requestId
	});
}

export function safeIp(event: { getClientAddress(): string }): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}
