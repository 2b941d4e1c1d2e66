import { createSubscriber } from 'svelte/reactivity'

const TICK_MS = 30_000

/**
 * One ticking clock for the whole app ("5 min" on every conversation card), instead of a timer per
 * card. It ticks only while something reactive reads it, and stops when the last reader goes.
 */
class Clock {
  #now = Date.now()
  #subscribe = createSubscriber((update) => {
    this.#now = Date.now()
    const timer = setInterval(() => {
      this.#now = Date.now()
      update()
    }, TICK_MS)
    return () => clearInterval(timer)
  })

  /** Milliseconds since the epoch, refreshed every 30 seconds for reactive readers. */
  get now(): number {
    this.#subscribe()
    return this.#now
  }
}

export const clock = new Clock()
