import { SettableClock } from '../src/clock.js'
import { startBenchApp } from './app.js'

// Child process of startInstance(): one more Concord instance on the same benchmark database, in its
// own process (its own event loop and pool), as a second server behind a load balancer would be.
const running = await startBenchApp(process.argv[2]!, new SettableClock(new Date()))
process.send!({ url: running.url.replace('localhost', '127.0.0.1') })
process.once('disconnect', () => void running.stop().then(() => process.exit(0)))
