// The conversion report a trainer reads (and the command prints).
import type { GiftConversion } from './convert';

/** The report as plain text lines (the command prints it to stderr). */
export function formatReport(result: GiftConversion): string {
	const name = (n: { number?: number; title?: string | null }) =>
		n.number ? `question ${n.number}${n.title ? ` "${n.title}"` : ''}` : 'file';
	const lines = [
		`GIFT import: ${result.total} question(s): ${result.converted.length} converted, ${result.skipped.length} not converted (language: ${result.locale})`
	];
	if (result.skipped.length) {
		lines.push('Not converted:');
		for (const s of result.skipped) lines.push(`  ${name(s)} [${s.giftType}]${s.excerpt ? ` "${s.excerpt}"` : ''}: ${s.reason}`);
	}
	if (result.warnings.length) {
		lines.push('Warnings:');
		for (const w of result.warnings) lines.push(`  ${name(w)}: ${w.message}`);
	}
	return lines.join('\n');
}
