import type { EcsMappingEntry } from './types.js';

/** Collects how each declared feature maps, in the order the stages report them. */
export class MappingLog {
  readonly entries: EcsMappingEntry[] = [];

  mapped(feature: string, gke: string, ecs: string): void {
    this.entries.push({ feature, gke, ecs, status: 'mapped' });
  }

  partial(feature: string, gke: string, ecs: string): void {
    this.entries.push({ feature, gke, ecs, status: 'partial' });
  }

  unsupported(feature: string, gke: string, ecs: string): void {
    this.entries.push({ feature, gke, ecs, status: 'unsupported' });
  }
}
