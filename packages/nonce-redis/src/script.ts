/**
 * The Lua script that draws one nonce, atomically on the Redis server.
 *
 * It stores and returns `max(counter + 1, Redis's clock in epoch nanoseconds)`:
 * - one clock for every host (the Redis server's `TIME`), so a client whose clock runs ahead
 *   cannot push the counter into the future, and one that runs behind cannot go back;
 * - when the counter is behind the clock (first use, a key unused for a while, the key lost with a
 *   restart of a Redis without persistence), it jumps to the clock, which is past every nonce it
 *   handed out before (as long as Redis's clock does not go back);
 * - when it is ahead (more than one nonce per nanosecond, or a counter raised by hand), `INCR`.
 *
 * Numbers stay strings: Lua numbers are doubles, exact only up to 2^53, and nanosecond nonces are
 * about 2^61. `INCR`'s own reply is such a number, so the exact value is read back with `GET`.
 * Comparing two digit strings without leading zeros: the longer is larger, else the text order.
 *
 * Needs Redis 5 or later (scripts replicated by their effects, so `TIME` may precede a write).
 *
 * @module
 */

/** The script's source (KEYS[1]: the counter). */
export const NEXT_NONCE_SCRIPT = `local cur = redis.call('GET', KEYS[1])
if cur and not string.match(cur, '^[1-9]%d*$') then
  return redis.error_reply('EMBEDKIT_NOT_A_COUNTER the key holds a value that is not a nonce counter')
end
local t = redis.call('TIME')
local now = t[1] .. string.format('%06d', tonumber(t[2])) .. '000'
if cur and (#cur > #now or (#cur == #now and cur >= now)) then
  redis.call('INCR', KEYS[1])
  return redis.call('GET', KEYS[1])
end
redis.call('SET', KEYS[1], now)
return now
`;
