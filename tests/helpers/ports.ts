// Fixed test ports shift by TEST_PORT_OFFSET, so two checkouts on one machine can run their
// end-to-end, reliability and bench servers at the same time without taking each other's ports.
export const PORT_OFFSET = Number(process.env.TEST_PORT_OFFSET ?? 0);

/** A fixed test port, shifted by TEST_PORT_OFFSET. */
export function port(base: number): number {
	return base + PORT_OFFSET;
}
