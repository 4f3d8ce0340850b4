/**
 * The CLI's own limits: sizes its flags ask for that no file does (docs/model-format.md "Limits" lists
 * them beside the libraries' limits; test/limits.test.ts holds the table, --help and these together).
 */
export const CLI_LIMITS = {
  /** gradcheck --input-size, --hidden, --output-size. */
  gradcheckSize: 256,
  gradcheckLayers: 8,
  gradcheckBatch: 64,
  gradcheckSteps: 200,
  /** Coordinates gradcheck checks by finite differences (two forward passes each): --sample lowers it. */
  gradcheckCoordinates: 100_000,
  generateLength: 1_000_000,
  forecastSteps: 100_000,
} as const;
