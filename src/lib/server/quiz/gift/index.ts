// Moodle GIFT question banks → GovLearn quiz Markdown (docs/content-format.md): read.ts reads the bank,
// convert.ts writes our four question types and checks them with the quiz parser, report.ts tells the
// trainer what was left out and why. Relative imports only: scripts/import-gift.ts runs this outside Vite.
export { decodeGift, GIFT_MAX_BYTES, GiftParseError, type GiftNote } from './read';
export {
	convertGift,
	type ConvertedQuestion,
	type GiftConversion,
	type GiftLocale,
	type GiftOptions,
	type SkippedQuestion
} from './convert';
export { formatReport } from './report';
