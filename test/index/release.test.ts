// A version swapped out (or a candidate refused by validation) gives its memory back: its arrays live outside the
// JavaScript heap, so without a collection V8 kept two versions resident after every corpus change.
import { describe, expect, it } from "vitest";
import { assistantFromIndex } from "../../src/answer/index.js";
import { currentVersion, loadVersion, openIndex } from "../../src/index/store.js";
import { collectWhenUnreachable } from "../../src/process.js";
import { until } from "../support/until.js";
import { DECREE, fixtureConfig, PLAN } from "./fixtures.js";

/** An assistant serving a freshly opened version, and a weak reference to that version (nothing else holds it). */
async function serving(config: ReturnType<typeof fixtureConfig>) {
  const first = await openIndex(config);
  return { assistant: assistantFromIndex(first), gone: new WeakRef(first) };
}

describe("releasing replaced index versions", () => {
  it("collectWhenUnreachable resolves true once the object is dropped, false while something holds it", async () => {
    const held = { arrays: new Float32Array(1 << 16) };
    expect(await collectWhenUnreachable(held, [5, 10])).toBe(false);
    let dropped: object | undefined = { arrays: new Float32Array(1 << 16) };
    const collected = collectWhenUnreachable(dropped, [5, 10]);
    dropped = undefined;
    expect(await collected).toBe(true);
    expect(held.arrays.length).toBe(1 << 16);
  });

  it("after a swap the previous version is collected and answers come from the new one", async () => {
    const config = fixtureConfig([PLAN, DECREE]);
    const { assistant, gone } = await serving(config);
    const next = await loadVersion(config, currentVersion(config.dataDir)!);
    assistant.swap(next);
    await until(() => gone.deref() === undefined, 10_000);
    expect(assistant.index()).toBe(next);
    expect((await assistant.ask("Ai lắp đặt trạm quan trắc nước?")).citations[0]).toMatchObject({ doc: PLAN.id, section: "II.1" });
  }, 20_000);
});
