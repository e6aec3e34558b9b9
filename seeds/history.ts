import type { Database } from '../src/lib/server/db';
import type { Library } from '../src/lib/server/content/library';
import type { Random } from './random';

/** Twelve months of learning history for the demo staff (filled in by the learning work). */
export async function seedHistory(_db: Database, _library: Library, _departments: Map<string, number>, _random: Random, _now: Date): Promise<void> {}
