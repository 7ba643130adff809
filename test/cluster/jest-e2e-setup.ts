// setupFilesAfterEnv of the "e2e" jest project: a default per-test timeout fitting a real control plane
// (Jest 29 has no per-project testTimeout; this keeps the unit project at Jest's 5s default).
// Tests that know better still pass their own timeout argument.
import { jest } from '@jest/globals';

jest.setTimeout(5 * 60_000);
