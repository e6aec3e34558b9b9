// Course images uploaded in the studio: PNG, JPEG, WebP (recognised by their bytes, not their name) and
// SVG with scripts, event handlers, foreign objects and outside references removed. Served with a CSP
// that forbids scripts anyway.

export const MAX_IMAGE_BYTES = 1024 * 1024;

const starts = (bytes: Uint8Array, sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);

/** The content type the bytes are (and the name agrees with), or undefined. */
export function imageType(name: string, bytes: Uint8Array): string | undefined {
	const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
	if (ext === 'png' && starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if ((ext === 'jpg' || ext === 'jpeg') && starts(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (ext === 'webp' && starts(bytes, [0x52, 0x49, 0x46, 0x46]) && starts(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
	if (ext === 'svg') {
		const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.slice(0, 4096));
		if (/<svg[\s>]/i.test(text)) return 'image/svg+xml';
	}
	return undefined;
}

/** An SVG without anything that runs or loads: scripts, handlers, foreign objects, javascript:/outside hrefs. */
export function cleanSvg(svg: string): string {
	let out = svg;
	let before: string;
	do {
		before = out;
		out = out
			.replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
			.replace(/<script\b[^>]*\/?>/gi, '')
			.replace(/<foreignObject\b[\s\S]*?<\/foreignObject\s*>/gi, '')
			.replace(/<(iframe|embed|object|handler|listener)\b[\s\S]*?(<\/\1\s*>|\/>)/gi, '')
			.replace(/<!ENTITY[^>]*>/gi, '')
			.replace(/\s+on[a-z0-9_:-]*\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
			.replace(/\s+(?:xlink:)?href\s*=\s*("\s*(?!#)[^"]*"|'\s*(?!#)[^']*'|(?!#)[^\s>]+)/gi, '')
			.replace(/url\(\s*['"]?\s*(?!#)[^)]*\)/gi, 'none')
			.replace(/@import[^;]*;?/gi, '');
	} while (out !== before);
	return out;
}
