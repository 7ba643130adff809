/**
 * Exit codes come from the error's class through one table (src/cli/exit-codes.ts, cluster-exit-codes.ts),
 * never from message text: each class → its documented code (README "Exit codes").
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { CLUSTER_EXIT_RULES, EXIT, classify } from '../../src/cli/cluster-exit-codes.js';
import { reportError } from '../../src/cli/errors.js';
import { COMMON_EXIT_RULES, exitCodeOf } from '../../src/cli/exit-codes.js';
import { FlagError, UsageError } from '../../src/cli/flags.js';
import { DeclarationError, InputError } from '../../src/declaration/errors.js';
import { ApplyError, PreflightError } from '../../src/deploy/apply.js';
import { KubeApiError } from '../../src/deploy/client.js';
import { CredentialError, KubeconfigSettingError } from '../../src/deploy/credential-errors.js';
import { PruneError } from '../../src/deploy/errors.js';
import { GkeLookupError } from '../../src/deploy/gke.js';
import { KubeconfigContextError, KubeconfigError } from '../../src/deploy/kubeconfig.js';
import { LeaseHeldError } from '../../src/deploy/lease.js';
import { MigrationError } from '../../src/deploy/migrations.js';
import { ConflictError, OwnershipError } from '../../src/deploy/ownership.js';
import { RolloutError } from '../../src/deploy/wait.js';
import { GitopsError } from '../../src/gitops/errors.js';
import { RenderCheckError } from '../../src/render/checks.js';
import { LinkError } from '../../src/render/no-follow.js';
import { RevisionError, SourceError } from '../../src/render/source-error.js';
import { OutputError } from '../../src/render/write.js';

const issue = { path: 'services[0].port', value: 0, message: 'must be 1-65535', fix: 'use a port' };
const lease = new LeaseHeldError('production', 'shop', 'ci@host', { leaseDurationSeconds: 60 }, Date.now());

/** [case, error, exit code of deploy/diff/prune/status]. */
const CLUSTER_CASES: readonly [string, Error, number][] = [
  ['FlagError', new FlagError('unknown flag --bogus'), EXIT.badInput],
  ['UsageError', new UsageError('--env NAME is required'), EXIT.badInput],
  ['DeclarationError', new DeclarationError([issue]), EXIT.badInput],
  ['InputError', new InputError('bad input'), EXIT.badInput],
  ['SourceError', new SourceError('give either --file or --app'), EXIT.badInput],
  ['RevisionError', new RevisionError('cannot resolve git revision "nope"'), EXIT.badInput],
  ['RenderCheckError', new RenderCheckError('production', ['a pod runs as root']), EXIT.badInput],
  ['OutputError', new OutputError('refused output folder'), EXIT.badInput],
  ['LinkError', new LinkError('dist', 'output folder'), EXIT.badInput],
  ['KubeconfigError', new KubeconfigError('/k.yaml', Object.assign(new Error('x'), { code: 'ENOENT' })), EXIT.badInput],
  ['KubeconfigContextError', new KubeconfigContextError('context "prod" not found in /k.yaml'), EXIT.badInput],
  ['KubeconfigSettingError', new KubeconfigSettingError('client-key without client-certificate in /k.yaml'), EXIT.badInput],
  ['CredentialError', new CredentialError('exec plugin gke-gcloud-auth-plugin failed'), EXIT.unreachable],
  ['PreflightError', new PreflightError([{ object: 'Deployment p/a', message: 'bad' }]), EXIT.rejected],
  ['PreflightError, namespace left', new PreflightError([{ object: 'Deployment p/a', message: 'bad' }], 'x', true), EXIT.applyFailed],
  ['ApplyError, rejected', new ApplyError(['x'], [{ object: 'Service p/a', message: 'boom', status: 422, rejected: true }]), EXIT.applyFailed],
  ['ApplyError, unreachable (status 0)', new ApplyError([], [{ object: 'Service p/a', message: 'ECONNRESET', status: 0 }]), EXIT.unreachable],
  ['ApplyError, no status (not an API answer)', new ApplyError([], [{ object: 'Service p/a', message: 'cannot reach the Kubernetes API' }]), EXIT.applyFailed],
  ['RolloutError', new RolloutError([{ object: 'api', ready: false, message: '0/3 pods ready' }], false), EXIT.rolloutFailed],
  ['PruneError', new PruneError('pruning failed'), EXIT.pruneFailed],
  ['MigrationError', new MigrationError('migrate', 'exit 1'), EXIT.migrationFailed],
  ['OwnershipError', new OwnershipError([{ object: 'Service p/a', owner: 'helm' }], 'production'), EXIT.refused],
  ['ConflictError', new ConflictError([{ object: 'Deployment p/a', field: '.spec.replicas', manager: 'hpa' }]), EXIT.refused],
  ['LeaseHeldError', lease, EXIT.locked],
  ['GkeLookupError', new GkeLookupError('permission denied'), EXIT.unreachable],
  ['KubeApiError status 0 (unreachable)', new KubeApiError('ECONNREFUSED', 0, 'Unreachable'), EXIT.unreachable],
  ['KubeApiError 401', new KubeApiError('Unauthorized', 401, 'Unauthorized'), EXIT.unreachable],
  ['KubeApiError 403', new KubeApiError('Forbidden', 403, 'Forbidden'), EXIT.unreachable],
  ['KubeApiError 500', new KubeApiError('etcd timeout', 500, 'InternalError'), EXIT.applyFailed],
  ['GitopsError, bad input', new GitopsError('refused checkout', 2), EXIT.badInput],
  ['any other error', new Error('something else'), EXIT.applyFailed],
];

describe('cluster commands: class → exit code', () => {
  it.each(CLUSTER_CASES)('%s', (_name, error, code) => {
    // GIVEN an error of one class  WHEN classified  THEN its documented exit code
    expect(classify(error).code).toBe(code);
  });

  it('message text chooses nothing: the old matched phrases in a plain Error are an unexpected failure', () => {
    for (const text of [
      'cannot get GKE cluster projects/p',
      'cannot load kubeconfig',
      'context "x" not found',
      'environment "x" is not declared',
      'cannot resolve git revision "x"',
      'a.yaml does not exist at revision x',
      'cannot reach the Kubernetes API at https://x',
    ]) {
      expect(classify(new Error(text)).code).toBe(EXIT.applyFailed);
    }
  });

  it('every class of the table has a case here', () => {
    const tested = new Set(CLUSTER_CASES.map(([, e]) => e.constructor));
    expect(CLUSTER_EXIT_RULES.map((r) => r.type.name).filter((name) => ![...tested].some((t) => t.name === name))).toEqual([]);
  });

  it('an interrupt wins over the class', () => {
    const ac = new AbortController();
    ac.abort();
    expect(classify(new RolloutError([], true), ac.signal).code).toBe(EXIT.interrupted);
  });

  it('messages: a rollout says whether it timed out, a refused credential says so', () => {
    expect(classify(new RolloutError([{ object: 'api', ready: false, message: 'x' }], true)).message).toBe('timed out waiting:\napi: x');
    expect(classify(new KubeApiError('Forbidden', 403, 'Forbidden')).message).toBe('not allowed by the cluster (HTTP 403): Forbidden');
    expect(classify(new KubeApiError('ECONNREFUSED', 0, 'Unreachable')).message).toBe('ECONNREFUSED');
  });
});

describe('local commands (synth, validate, ecs, compare, init, gitops): the shared rows', () => {
  const sink = () =>
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    });

  it.each(CLUSTER_CASES.filter(([, e]) => COMMON_EXIT_RULES.some((r) => e instanceof r.type)))(
    '%s is bad input (or its own code) here too',
    (_name, error, code) => {
      expect(reportError(error, sink())).toBe(code);
    },
  );

  it('gitops says itself whether a failure is bad input', () => {
    expect(exitCodeOf(new GitopsError('push rejected'), COMMON_EXIT_RULES, EXIT.failed)).toBe(1);
    expect(exitCodeOf(new GitopsError('not a checkout', 2), COMMON_EXIT_RULES, EXIT.failed)).toBe(2);
  });

  it('parseArgs errors are bad input; anything else is 1', () => {
    expect(reportError(Object.assign(new TypeError("Unknown option '--x'"), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }), sink())).toBe(2);
    expect(reportError(new KubeApiError('ECONNREFUSED', 0, 'Unreachable'), sink())).toBe(1);
    expect(reportError(new Error('boom'), sink())).toBe(1);
  });
});
