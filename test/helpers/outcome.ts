/** Release outcomes in tests: a mismatch prints the release's reasons, so a test that fails once says why. */
export function expectOutcome(result: { outcome?: string; reasons: readonly string[] }, outcome: string): void {
  expect({ outcome: result.outcome, reasons: result.reasons }).toEqual({ outcome, reasons: expect.any(Array) });
}
