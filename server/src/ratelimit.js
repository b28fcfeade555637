'use strict';
// Seed 002's rate limit: `max` requests per `windowMs` per user (per IP before login), in fixed
// windows aligned to the clock, so every process that shares a store agrees on the window and
// its reset time. The memory store serves one process; the Redis store (a Redis URL configured)
// shares the counters across processes. Headers: X-RateLimit-Limit, -Remaining and -Reset (the
// window's end, Unix seconds, as in seed 002); over the limit: 429 RATE_LIMIT_EXCEEDED with
// retryAfter (seconds) and Retry-After.
//
// Written here rather than taken from @fastify/rate-limit: that plugin's Redis store needs ioredis
// and it reports X-RateLimit-Reset as seconds-to-go, not seed 002's reset time (decision 0015).

class MemoryStore {
  constructor() {
    this.windows = new Map();
  }
  async hit(key, windowStart, windowMs) {
    const slot = `${key}|${windowStart}`;
    const count = (this.windows.get(slot) || 0) + 1;
    this.windows.set(slot, count);
    if (this.windows.size > 100000) this.prune(windowStart);
    return count;
  }
  prune(currentWindow) {
    for (const slot of this.windows.keys()) {
      if (Number(slot.slice(slot.lastIndexOf('|') + 1)) < currentWindow) this.windows.delete(slot);
    }
  }
  async close() {}
}

class RedisStore {
  constructor(client, prefix = 'dms:rl:') {
    this.client = client;
    this.prefix = prefix;
  }
  async hit(key, windowStart, windowMs) {
    const slot = `${this.prefix}${key}:${windowStart}`;
    const [count] = await this.client.multi()
      .incr(slot)
      .pExpireAt(slot, windowStart + windowMs + 1000)
      .exec();
    return Number(count);
  }
  async close() {}
}

class RateLimiter {
  constructor({ max = 100, windowMs = 60000, store = new MemoryStore(), log = null } = {}) {
    this.max = max;
    this.windowMs = windowMs;
    this.store = store;
    this.log = log;
    this.prunedAt = 0;
  }

  // Counts one request of `key`; sets the headers; returns null, or the 429 details.
  async check(key, reply) {
    const now = Date.now();
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    const resetAt = windowStart + this.windowMs;
    let count;
    try {
      count = await this.store.hit(key, windowStart, this.windowMs);
    } catch (error) {
      // The limiter's store is down: serve (fail open) and say so in the log.
      if (this.log) this.log.warn({ err: error }, 'rate limit store unavailable');
      return null;
    }
    if (this.store instanceof MemoryStore && now - this.prunedAt > this.windowMs) {
      this.prunedAt = now;
      this.store.prune(windowStart);
    }
    reply.header('X-RateLimit-Limit', this.max);
    reply.header('X-RateLimit-Remaining', Math.max(0, this.max - count));
    reply.header('X-RateLimit-Reset', Math.ceil(resetAt / 1000));
    if (count <= this.max) return null;
    const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
    reply.header('Retry-After', retryAfter);
    return { retryAfter };
  }
}

module.exports = { RateLimiter, MemoryStore, RedisStore };
