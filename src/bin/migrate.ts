import { loadConfig } from '../config.js'
import { openDatabase } from '../db/database.js'
import { migrate } from '../db/migrate.js'

const config = loadConfig()
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
try {
  const applied = await migrate(db)
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.')
} finally {
  await db.close()
}
