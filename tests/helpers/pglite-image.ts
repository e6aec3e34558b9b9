// Writes a migrated PGlite data dir image to the path given. Runs as its own process, because a
// PGlite instance in vitest's main process keeps it from exiting.
import { PGlite } from '@electric-sql/pglite';
import { writeFileSync } from 'node:fs';
import { connect, migrate } from '../../src/lib/server/db';

const file = process.argv[2];
const pg = new PGlite();
const conn = await connect({ pglite: pg });
await migrate(conn);
const image = await pg.dumpDataDir('none');
writeFileSync(file, Buffer.from(await image.arrayBuffer()));
await conn.close();
