// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. `algorithm: 2` is Argon2id (a const enum upstream).
// Imports nothing, so the seeds (which run outside Vite) hash their demo passwords with the same cost.
export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32, algorithm: 2 } as const;
