/**
 * The cdk8s-plus lines the synth benchmark's naive baseline runs on (devDependencies). Its own module, without
 * imports, so that the timed baseline program loads nothing more than a user's app would.
 */

/** The baseline issue 10 names (its targets are judged against it). */
export const ISSUE_PLUS = 'cdk8s-plus-27';

/** The newest cdk8s-plus line: what a user starting today installs. */
export const NEWEST_PLUS = 'cdk8s-plus-34';

export const PLUS_LINES: readonly string[] = [ISSUE_PLUS, NEWEST_PLUS];
