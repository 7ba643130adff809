/**
 * A TypeScript platform: berth's constructs plus the app's own cdk8s / cdk8s-plus-27 objects and a
 * JSON patch on a berth object. Every berth command renders it with `--app` (or `app:` in cdk8s.yaml):
 * one chart per environment, named after it.
 */
import { ApiObject, App, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EnvironmentChart } from '../../../src/constructs/environment-chart.js';
import { effectiveServices } from '../../../src/declaration/effective.js';
import type { PlatformDeclaration } from '../../../src/declaration/types.js';
import { validatePlatform } from '../../../src/declaration/validate.js';

export interface ShopProps {
  /** Namespace of production. @default 'shop' */
  readonly namespace?: string;
  /** Output folder (cdk8s's `CDK8S_OUTDIR`). @default cdk8s's default */
  readonly outdir?: string;
}

/** The declaration berth's constructs render: the same fields as a platform.yaml. */
export function shopPlatform(namespace: string): PlatformDeclaration {
  return validatePlatform({
    environments: {
      production: { namespace },
      staging: { namespace: `${namespace}-staging`, services: { web: { host: 'staging.shop.example.com', replicas: 1 } } },
    },
    services: [
      {
        name: 'web',
        image: 'registry.example.com/shop/web:2.3.1',
        port: 8080,
        host: 'shop.example.com',
        health: '/healthz',
        memory: '128Mi',
        cpu: '50m',
        replicas: 2,
      },
      { name: 'api', image: 'registry.example.com/shop/api:1.9.0', port: 9000, health: '/ready', memory: '128Mi', cpu: '50m', replicas: 1, callers: ['web'] },
    ],
  });
}

/** One EnvironmentChart per environment (chart id = environment name), each extended with the app's own objects. */
export function shopApp(props: ShopProps = {}): App {
  const app = new App(props.outdir === undefined ? {} : { outdir: props.outdir });
  const platform = shopPlatform(props.namespace ?? 'shop');
  for (const [name, declaration] of Object.entries(platform.environments)) {
    const services = effectiveServices(platform, name).map((e) => e.service);
    const chart = new EnvironmentChart(app, name, { environment: name, declaration, services });
    const namespace = chart.targetNamespace;
    // A cdk8s-plus-27 construct of the app's own: settings for the web service.
    new kplus.ConfigMap(chart, 'settings', { metadata: { name: 'shop-settings', namespace }, data: { CURRENCY: 'EUR', CATALOG_URL: 'http://api:9000' } });
    // A raw ApiObject: only the web pods may call the API (berth's own allow-api says the same from `callers: ['web']`;
    // NetworkPolicies add up, so a raw policy can only widen what berth's allow, never narrow it).
    new ApiObject(chart, 'api-ingress-policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api-from-web', namespace },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }] }],
      },
    });
    // JSON patches on berth's web Deployment: read the settings, and hold new pods 15 s before they count as available.
    const web = chart.node.findChild('web').node.findChild('Deployment') as ApiObject;
    web.addJsonPatch(
      JsonPatch.add('/spec/minReadySeconds', 15),
      JsonPatch.add('/spec/template/spec/containers/0/envFrom', [{ configMapRef: { name: 'shop-settings' } }]),
    );
  }
  return app;
}
