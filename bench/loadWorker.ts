import { drive, type LoadSpec } from './load.js'

// Child process of runLoad(): receives one spec, drives the load, sends back the result.
process.once('message', message => {
  process.send!({ started: true })
  drive(message as LoadSpec).then(
    result => process.send!({ result }),
    error => {
      console.error(error)
      process.exit(1)
    },
  )
})
