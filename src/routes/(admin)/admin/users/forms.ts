import { z } from 'zod';
import { ROLES } from '$lib/server/db/schema';

export const profileForm = z.object({
	displayName: z.string().trim().min(1).max(100),
	email: z
		.string()
		.trim()
		.max(254)
		.transform((v) => v || null)
		.pipe(z.email().nullable()),
	departmentId: z.coerce.number().int().positive().max(2_147_483_647)
});

export const newUserForm = profileForm.extend({
	username: z
		.string()
		.trim()
		.min(1)
		.max(64)
		.regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/)
});

export const rolesField = z.array(z.enum(ROLES));
