// The heatmap colour scale. Colour only supports the number printed in every cell; the legend
// names each band in words too.
export const BANDS = [
	{ min: 0.85, key: 'strong', colour: '#cfe9d8' },
	{ min: 0.75, key: 'good', colour: '#e6f2d3' },
	{ min: 0.65, key: 'fair', colour: '#fcefcf' },
	{ min: 0.55, key: 'weak', colour: '#f9d9bd' },
	{ min: 0, key: 'gap', colour: '#f4c2c2' }
] as const;

export type Band = (typeof BANDS)[number]['key'];

export function bandOf(mastery: number): (typeof BANDS)[number] {
	return BANDS.find((b) => mastery >= b.min) ?? BANDS[BANDS.length - 1];
}
