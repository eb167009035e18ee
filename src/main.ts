import { loadConfig } from './config.js'
import { loadDemoAuthority, printDemoWelcome } from './demo/loadDemo.js'
import { start } from './server.js'

const config = loadConfig()
let demo: Awaited<ReturnType<typeof loadDemoAuthority>> | undefined
const running = await start(config, {
  beforeListen: async services => {
    if (config.demo) demo = await loadDemoAuthority(services)
  },
})
running.logger.info({ url: running.url, database: running.services.db.kind }, 'Concord is running')
if (demo) printDemoWelcome(running.url, demo)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    running.logger.info({ signal }, 'stopping')
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
