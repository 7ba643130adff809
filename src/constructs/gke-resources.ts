import type { Construct } from 'constructs';
import type { BackendFeatures } from '../declaration/load-balancer.js';
import { PlainApiObject, type Metadata as Meta } from './kube.js';

/*
 * GKE's own custom resources. cdk8s-plus-27 has no constructs for them, and `cdk8s import` of the
 * CRDs in ../shared/crds/gke would add a generated module for three small specs; these interfaces
 * mirror the CRD schemas (cloud.google.com/v1 BackendConfig, networking.gke.io/v1beta1 FrontendConfig,
 * networking.gke.io/v1 ManagedCertificate) for the fields berth sets. The e2e suite applies them to an
 * API server that has the real CRDs installed, so schema drift fails a test.
 */

/** Health check, draining and timeout (always set), plus the declared load-balancer features (load-balancer.ts). */
export interface BackendConfigSpec extends BackendFeatures {
  readonly healthCheck: {
    /** HTTP, HTTPS, or HTTP2 (HTTP/2 over TLS): the protocol the load balancer speaks to the backend. */
    readonly type: 'HTTP' | 'HTTPS' | 'HTTP2';
    readonly requestPath: string;
    readonly port: number;
    readonly checkIntervalSec: number;
    readonly timeoutSec: number;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
  };
  readonly connectionDraining: { readonly drainingTimeoutSec: number };
  readonly timeoutSec: number;
}

export class BackendConfig extends PlainApiObject {
  constructor(scope: Construct, id: string, metadata: Meta, spec: BackendConfigSpec) {
    super(scope, id, { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata, spec });
  }
}

export interface FrontendConfigSpec {
  readonly redirectToHttps?: {
    readonly enabled: boolean;
    readonly responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' | 'FOUND' | 'TEMPORARY_REDIRECT' | 'PERMANENT_REDIRECT';
  };
  readonly sslPolicy?: string;
}

export class FrontendConfig extends PlainApiObject {
  constructor(scope: Construct, id: string, metadata: Meta, spec: FrontendConfigSpec) {
    super(scope, id, { apiVersion: 'networking.gke.io/v1beta1', kind: 'FrontendConfig', metadata, spec });
  }
}

export class ManagedCertificate extends PlainApiObject {
  constructor(scope: Construct, id: string, metadata: Meta, domains: readonly string[]) {
    super(scope, id, { apiVersion: 'networking.gke.io/v1', kind: 'ManagedCertificate', metadata, spec: { domains: [...domains] } });
  }
}
