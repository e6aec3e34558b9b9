import { z } from 'zod';

export const departmentForm = z.object({
	code: z
		.string()
		.trim()
		.min(1)
		.max(64)
		.regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/),
	nameZh: z.string().trim().min(1).max(100),
	nameEn: z.string().trim().min(1).max(160)
});

/** "" (no department / top level) or a department id. */
export const optionalDepartment = z
	.union([z.literal(''), z.coerce.number().int().positive().max(2_147_483_647)])
	.transform((v) => (v === '' ? null : v));
