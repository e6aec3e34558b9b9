import { m } from '$lib/paraglide/messages';

/** The course level in the interface language. */
export function levelLabel(level: string): string {
	return level === 'advanced' ? m.learn_level_advanced() : level === 'intermediate' ? m.learn_level_intermediate() : m.learn_level_basic();
}
