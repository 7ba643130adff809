/**
 * The environment's routes as ALB listener rules, one per (host, path), with deterministic priorities:
 * sorted by host, then the most specific path first (an ALB takes the lowest-numbered matching rule, GKE the
 * longest matching prefix), then path; priority = 10, 20, 30, … so a rule can be inserted by hand between two.
 */
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { routesOf, type Route } from '../declaration/routing.js';
import type { ServiceDeclaration } from '../declaration/types.js';

export interface PrioritizedRoute extends Route {
  readonly priority: number;
  /** ALB path patterns: none for `/` (every path), else the prefix itself and everything below it. */
  readonly patterns: readonly string[];
}

export const PRIORITY_STEP = 10;

export function prioritizedRoutes(services: readonly ServiceDeclaration[]): PrioritizedRoute[] {
  const routes = routesOf(services).sort((a, b) => cmp(a.host, b.host) || b.path.length - a.path.length || cmp(a.path, b.path));
  return routes.map((r, i) => ({ ...r, priority: (i + 1) * PRIORITY_STEP, patterns: patternsOf(r.path) }));
}

function patternsOf(path: string): string[] {
  if (path === '/') return [];
  const base = path.endsWith('/') ? path.slice(0, -1) : path;
  return [base, `${base}/*`];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One listener rule per route, forwarding to the service's target group. */
export function addRules(
  listener: elbv2.ApplicationListener,
  routes: readonly PrioritizedRoute[],
  targets: ReadonlyMap<string, elbv2.ApplicationTargetGroup>,
): void {
  for (const r of routes) {
    const conditions = [elbv2.ListenerCondition.hostHeaders([r.host]), ...(r.patterns.length ? [elbv2.ListenerCondition.pathPatterns([...r.patterns])] : [])];
    new elbv2.ApplicationListenerRule(listener, `Rule${r.priority}`, {
      listener,
      priority: r.priority,
      conditions,
      action: elbv2.ListenerAction.forward([targets.get(r.service)!]),
    });
  }
}
