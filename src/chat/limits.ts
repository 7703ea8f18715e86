// Guards against floods and duplicate deliveries; the shared implementations live in src/store.
export { memoryChatMemory, memoryRateStore, memorySeenStore, RateLimiter, SeenSet, type Clock, type RateDecision } from "../store/memory.js";
